"""The category order shared by every report and the catalog (a leaf module: no imports)."""

CATEGORIES = (
    "performance", "reliability", "cost", "architecture", "security",
    "delivery", "teams", "working-backwards", "narratives", "operations",
)
