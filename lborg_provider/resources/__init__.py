"""Resource types of the provider, one module each (schema next to its CRUD)."""
