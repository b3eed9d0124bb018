"""The events services exchange, one module per publishing service."""
