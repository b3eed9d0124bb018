"""Category: A shelf of the shop that groups related products."""
