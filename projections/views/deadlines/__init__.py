"""The inspectorate's deadline board."""
