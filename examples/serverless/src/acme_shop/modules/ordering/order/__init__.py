"""Order: A customer's request to buy products."""
