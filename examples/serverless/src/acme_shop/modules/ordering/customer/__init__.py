"""Customer: A person who buys from the shop."""
