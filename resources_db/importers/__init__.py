"""Importers of the directory's data formats; see `registry.FORMATS`."""
