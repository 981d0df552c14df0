"""Submission progress of a county's year: every school and where its record stands (the county
progress page and the dashboard)."""
from __future__ import annotations

from dataclasses import dataclass

from junheng.web.collection.models import SchoolYear

#: Label of a school without a record of the year.
NOT_STARTED = "未填报"


@dataclass
class Progress:
    """rows: (school, record or None) ordered by 学校标识码; counts: status label → schools, in the
    workflow's order, then 未填报."""

    rows: list
    counts: dict[str, int]

    def with_status(self, *statuses: str | None) -> list:
        """Rows whose record has one of ``statuses`` (None: no record)."""
        return [(s, r) for s, r in self.rows if (r.status if r else None) in statuses]


def county_progress(county, year: int) -> Progress:
    """The :class:`Progress` of ``county`` (an Area of level county) in ``year``."""
    records = {r.school_id: r for r in SchoolYear.objects.filter(school__county=county, year=year)}
    rows = [(s, records.get(s.pk)) for s in county.schools.select_related("township").order_by("school_id")]
    counts = {label: sum(1 for _, r in rows if r and r.status == code) for code, label in SchoolYear.STATUS_CHOICES}
    counts[NOT_STARTED] = sum(1 for _, r in rows if r is None)
    return Progress(rows, counts)
