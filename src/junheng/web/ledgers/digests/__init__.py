"""日报/周报: what changed in a county or township, from the audit log (collect.py), as a page,
a Word document and plain text for a WeChat group (render.py); on demand and on a schedule (tasks.py)."""
