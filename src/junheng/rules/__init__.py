"""Rule packs (basic-2012, quality-2017) and provincial overrides; see loader.py."""
from .loader import (
    Indicator,
    PerLevel,
    RulePack,
    available_packs,
    available_provinces,
    load_rules,
)

__all__ = ["Indicator", "PerLevel", "RulePack", "available_packs", "available_provinces", "load_rules"]
