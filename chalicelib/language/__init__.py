"""The words shoppers use for pets, and the keyword parser that reads a question without a model."""
