"""Template context: the county whose ledgers the menu links to (the user's own county, if any)."""
from junheng.web.areas import roles
from junheng.web.areas.scope import who


def ledger(request) -> dict:
    w = who(request.user)
    county = None
    if w.role in roles.COUNTY_ROLES:
        county = w.area
    elif w.role == roles.REPORTER and w.school is not None:
        county = w.school.county
    elif w.role == roles.TOWNSHIP_VIEWER and w.area is not None:
        county = w.area.parent
    return {"ledger_county": county}
