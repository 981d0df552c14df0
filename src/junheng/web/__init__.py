"""The county's shared workspace (``junheng serve``): a Django application over the same core.

Apps, one concern each (docs/web.md): ``areas`` (the area tree, schools, accounts and roles, and the
one scoping layer :mod:`junheng.web.areas.scope`), ``collection`` (school-year records, the entry
form, the Excel round trip, the county bulk import), ``snapshots`` (frozen approved data and their
assessments) and ``audit`` (who changed what, when). Views are thin: validation is
:mod:`junheng.io` (the file importer's own rules), computing is :mod:`junheng.core`, the JSON of
an assessment is :mod:`junheng.report.payload`.
"""
