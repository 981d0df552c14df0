"""The HTML 自评报告 (one self-contained page)."""
