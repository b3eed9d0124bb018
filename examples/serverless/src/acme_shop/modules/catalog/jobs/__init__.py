"""Background jobs of the catalog module: record_demand."""
