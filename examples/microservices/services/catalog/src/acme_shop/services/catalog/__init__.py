"""The catalog service: Products offered for sale, grouped into categories."""
