"""台账 index: the counties whose ledgers the user may read, for accounts above one county
(市/省级督导, 系统管理员), whose menu has no single county to link to."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from junheng.web.areas import scope
from junheng.web.ledgers.rectification.status import CLOSED, is_overdue


@login_required
def ledger_index(request):
    """Each county of :func:`scope.ledger_counties` with links to its ledgers and its open and
    overdue 整改 items (counted from the items the user may see)."""
    today = timezone.localdate()
    counts: dict[int, list[int]] = {}
    for county_id, deadline, status, done_on in scope.rect_items(request.user).values_list(
            "county_id", "deadline", "status", "done_on"):
        c = counts.setdefault(county_id, [0, 0])
        if status != CLOSED:
            c[0] += 1
        c[1] += is_overdue(deadline, status, today, done_on)
    digest_ok = set(scope.digest_counties(request.user).values_list("pk", flat=True))
    rows = [{"county": c, "open": counts.get(c.pk, [0, 0])[0], "overdue": counts.get(c.pk, [0, 0])[1],
             "digests": c.pk in digest_ok}
            for c in scope.ledger_counties(request.user).order_by("path")]
    return render(request, "ledgers/index.html", {"rows": rows})
