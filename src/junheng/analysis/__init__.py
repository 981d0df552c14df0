"""Analyses beyond one year's verdict (pure: tables in, results out).

- :mod:`junheng.analysis.measures`: the pupil-weighted equity measures, one function each.
- :mod:`junheng.analysis.equity`: those measures for every county, level and indicator of an
  assessment (:func:`~junheng.analysis.equity.assess_equity`), with decompositions and quadrants.
"""
