"""The examples in the core's docstrings run (the published worked example is one of them)."""
import doctest

import pytest

from junheng.core import dispersion


@pytest.mark.parametrize("module", [dispersion], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0


FORMULAS = {
    "junheng.core.dispersion": ["grouped_weighted_stats", "weighted_mean", "weighted_variance", "weighted_sd",
                                "weighted_cv", "unweighted_cv", "variance_contributions"],
    "junheng.core.units": ["split_units"],
    "junheng.core.assess": ["unit_indicators", "_unit_rule"],
    "junheng.core.funding": ["growth", "appropriation_vs_revenue", "base_amount", "funding_checks"],
    "junheng.core.county_checks": ["class_size", "school_size", "music_art_rooms", "small_school_funding",
                                   "special_funding", "teacher_pay", "rotation", "rates", "recognition",
                                   "operating_base", "funding_growth"],
    "junheng.core.trace": ["top_contributors", "weakest_units"],
}


@pytest.mark.parametrize("module", sorted(FORMULAS))
def test_every_formula_names_its_source(module):
    import importlib

    m = importlib.import_module(module)
    for name in FORMULAS[module]:
        doc = getattr(m, name).__doc__ or ""
        assert "References\n    ----------\n" in doc, f"{module}.{name} has no References section"
        refs = doc.split("References", 1)[1]
        assert "docs/" in refs or "〔" in refs, f"{module}.{name}: References name no document"
