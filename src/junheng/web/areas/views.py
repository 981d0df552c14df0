"""Home page, schools list and school page (thin: rows come from areas/scope.py)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from junheng.web.areas import roles, scope


def current_year() -> int:
    """The default school year offered for entry: the calendar year (学年初 statistics)."""
    return timezone.localdate().year


@login_required
def home(request):
    w = scope.who(request.user)
    ctx = {"counties": scope.counties(request.user), "year": current_year()}
    if w.role == roles.REPORTER and w.school:
        ctx["school"] = w.school
        ctx["records"] = scope.records(request.user).order_by("-year")
    return render(request, "areas/home.html", ctx)


@login_required
def school_list(request):
    qs = scope.schools(request.user).select_related("county", "township")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(school_id__startswith=q)
    return render(request, "areas/school_list.html", {"schools": qs[:500], "q": q, "total": qs.count()})


@login_required
def school_detail(request, pk: int):
    school = get_object_or_404(scope.schools(request.user).select_related("county", "township"), pk=pk)
    records = scope.records(request.user).filter(school=school).order_by("-year")
    w = scope.who(request.user)
    can_open = w.role == roles.REPORTER
    return render(request, "areas/school_detail.html",
                  {"school": school, "records": records, "can_open": can_open, "year": current_year()})
