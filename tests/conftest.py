"""Shared pytest set-up.

Under mutmut (the tests then run from its copy in mutants/, README.md 开发) hypothesis keeps its
examples but runs without a deadline, without shrinking and derandomized: on a busy shared
machine a slow example must not count as a mutant caught, a caught mutant must not spend minutes
shrinking its counter-example, and two runs must test the same examples.

Everywhere, hypothesis runs without its 200 ms deadline: a property is about values, and on a
loaded 2-core machine (CI, helpers in parallel) an example taking 350 ms is no failure. Speed
goals live in bench/.
"""
from pathlib import Path

from hypothesis import Phase, settings

settings.register_profile("junheng", deadline=None)
settings.load_profile("junheng")

if Path(__file__).resolve().parents[1].name == "mutants":  # mutmut's copy: mutants/tests/conftest.py
    settings.register_profile("mutation", deadline=None, derandomize=True,
                              phases=[Phase.explicit, Phase.reuse, Phase.generate])
    settings.load_profile("mutation")
