"""Small form helpers shared by the ledgers' views."""
from __future__ import annotations

import datetime as dt


def iso_date(text: str) -> dt.date | None:
    """The date of an ``<input type="date">`` value (YYYY-MM-DD); None when blank or not a date."""
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def post_county_form(request, scope, pk: int):
    """(county, staff) of a ledger board at ``pk`` (404 outside the user's area); a POST requires staff."""
    from django.shortcuts import get_object_or_404

    county = get_object_or_404(scope.ledger_counties(request.user), pk=pk)
    staff = scope.is_county_staff(request.user, county)
    if request.method == "POST":
        scope.require(staff)
    return county, staff
