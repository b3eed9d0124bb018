"""Product: Something the shop sells."""
