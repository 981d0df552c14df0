"""Making and storing digests (on demand from the page, on a schedule from tasks.py)."""
from __future__ import annotations

from django.utils import timezone

from junheng.web.audit.log import log
from junheng.web.ledgers.digests.collect import collect, period
from junheng.web.ledgers.digests.render import as_text
from junheng.web.ledgers.models import Digest


def make(county, township, kind: str, user=None, end=None) -> Digest:
    """Compute and store the digest of ``county`` (or ``township``) ending at ``end`` (default now)."""
    start, end = period(kind, end or timezone.now())
    d = collect(county, township, kind, start, end)
    sections = [[h, lines] for h, lines in d.sections]
    dig = Digest.objects.create(county=county, township=township, kind=kind, start=start, end=end, title=d.title,
                                sections=sections, text=as_text(d.title, d.period, sections), created_by=user)
    log(user, "digest", county=county, target=dig.title, note=d.period)
    return dig


def make_all(kind: str) -> int:
    """The digests of every county and each of its townships (the scheduled run). Returns how many."""
    from junheng.web.areas.models import Area

    n = 0
    for county in Area.objects.filter(level="county"):
        make(county, None, kind)
        n += 1
        for town in Area.objects.filter(parent=county, level="township"):
            make(county, town, kind)
            n += 1
    return n
