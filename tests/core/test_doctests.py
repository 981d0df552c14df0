"""The examples in the core's docstrings run (the published worked example is one of them)."""
import doctest

import pytest

from junheng.core import dispersion


@pytest.mark.parametrize("module", [dispersion], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    res = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0
