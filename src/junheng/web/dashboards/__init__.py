"""Dashboards of a county and of an inspector's area (docs/web.md "仪表板"): every number from the
stored snapshot assessment (snapshots.services), charts drawn by plotly.js served from the
installed plotly package (assets.py)."""
