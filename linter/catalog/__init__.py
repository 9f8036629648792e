"""The practice and rule catalog: YAML files validated into pydantic models."""

from linter.catalog.loader import Catalog, CatalogError, load_catalog
from linter.catalog.models import OptionSpec, Practice, RuleSpec

__all__ = ["Catalog", "CatalogError", "OptionSpec", "Practice", "RuleSpec", "load_catalog"]
