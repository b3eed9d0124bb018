"""Background jobs of the ordering module: export_orders, cancel_abandoned_orders."""
