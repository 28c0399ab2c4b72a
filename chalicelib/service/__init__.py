"""What the store does for a caller: answer a question, stock a pet."""
