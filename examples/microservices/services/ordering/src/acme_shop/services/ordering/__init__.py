"""The ordering service: Customers and the orders they place."""
