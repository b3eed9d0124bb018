"""Daily demand: Orders placed per day, as the catalog sees the demand."""
