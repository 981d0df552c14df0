"""The pure core: tables in, results out (no files, no printing)."""
from .assess import assess, unit_indicators
from .dispersion import (
    unweighted_cv,
    variance_contributions,
    weighted_cv,
    weighted_mean,
    weighted_sd,
    weighted_variance,
)
from .result import Assessment, CountyResult, IndicatorStat, LevelResult

__all__ = [
    "Assessment", "CountyResult", "IndicatorStat", "LevelResult", "assess", "unit_indicators",
    "unweighted_cv", "variance_contributions", "weighted_cv", "weighted_mean", "weighted_sd",
    "weighted_variance",
]
