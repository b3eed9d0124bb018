"""Catalog: Products offered for sale, grouped into categories."""
