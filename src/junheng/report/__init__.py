"""Shells that format an Assessment: JSON payload, console tables, Excel workbook."""
