"""Tiny hand-made counties for the planner tests (tests/core/helpers.py rows)."""
from __future__ import annotations

import pytest

from junheng.plan.costs import Limits, load_costs
from junheng.plan.run import plan
from junheng.rules import load_rules


@pytest.fixture(scope="session")
def quality():
    return load_rules("quality-2017")


@pytest.fixture(scope="session")
def costs():
    return load_costs()


@pytest.fixture
def run(quality, costs):
    """plan(table) under quality-2017 with the default costs, 3 years, no limits."""
    def go(t, *, rules=None, limits=None, strict=False, years=3):
        return plan(t, rules or quality, costs, limits or Limits(), years=years, strict=strict)
    return go
