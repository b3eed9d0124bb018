"""Ordering: Customers and the orders they place."""
