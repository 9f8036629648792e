"""The errors a run reports with exit code 2 (a leaf module: importing it costs nothing)."""


class CatalogError(Exception):
    """A catalog or configuration file is invalid; the message names file, line and field."""


class ConfigError(CatalogError):
    """Invalid user configuration (exit code 2)."""
