"""Shared frames of the sample-generator tests (generated once per session)."""
from __future__ import annotations

import pytest

from junheng.sample import generate


@pytest.fixture(scope="session")
def sample():
    """The bundled sample county, ``generate()`` with the default seed."""
    return generate()


@pytest.fixture(scope="session")
def scaled():
    """A moderate multi-county table: 5 000 schools over 60 counties."""
    return generate(5_000, 60, seed=7)
