"""The ground the other layers stand on: pets, filters, errors, numbers and the answer's sentence."""
