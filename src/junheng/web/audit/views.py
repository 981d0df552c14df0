"""The audit log, scoped (reviewers and above, in their area)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from junheng.web.areas import scope
from junheng.web.audit.log import field_label


@login_required
def audit_list(request):
    w = scope.who(request.user)
    scope.require(w.role in scope.roles.AUDIT_ROLES)
    qs = scope.audit(request.user).select_related("user", "county")
    record = request.GET.get("record", "")
    if record.isdigit():
        qs = qs.filter(record_id=int(record))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    for e in page:
        e.field_label = field_label(e.field)
    return render(request, "audit/audit_list.html", {"page": page, "record": record})
