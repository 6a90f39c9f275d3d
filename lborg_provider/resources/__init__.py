"""Resource and data source types of the provider, one module each (schema next to its CRUD).

VIPs and real servers share `table_resource` (driven by the field tables of `model.tables`);
each type gets the provider's data (its connection), never the provider itself.
"""
