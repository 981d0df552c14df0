"""Shells of the planner: the JSON document (payload.py), the screen table (console.py) and the
采购/建设清单 workbook (xlsx.py). Formatting only."""
