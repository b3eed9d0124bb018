"""``archgen smoke``: boot a generated project against real services and prove it works."""
