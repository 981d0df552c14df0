"""日报/周报 pages: list and make (county staff), read, Word, plain text."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from junheng.web.areas import scope
from junheng.web.areas.models import Area
from junheng.web.ledgers.digests import services
from junheng.web.ledgers.digests.render import as_docx
from junheng.web.ledgers.models import Digest

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def digest_list(request, pk: int):
    county = get_object_or_404(scope.digest_counties(request.user), pk=pk)
    staff = scope.is_county_staff(request.user, county)
    towns = Area.objects.filter(parent=county, level="township")
    if request.method == "POST":
        scope.require(staff)
        kind = request.POST.get("kind", "")
        if kind not in dict(Digest.KINDS):
            kind = Digest.DAILY
        t = request.POST.get("township", "")
        town = get_object_or_404(towns, pk=int(t)) if t.isdigit() else None
        dig = services.make(county, town, kind, request.user)
        messages.success(request, f"已生成{dig.title}。")
        return redirect("digest_detail", pk=dig.pk)
    return render(request, "ledgers/digest_list.html", {
        "county": county, "staff": staff, "towns": towns, "kinds": Digest.KINDS,
        "digests": scope.digests(request.user).filter(county=county)[:60]})


@require_GET
@login_required
def digest_detail(request, pk: int):
    dig = get_object_or_404(scope.digests(request.user), pk=pk)
    return render(request, "ledgers/digest_detail.html", {"d": dig})


@require_GET
@login_required
def digest_docx(request, pk: int):
    dig = get_object_or_404(scope.digests(request.user), pk=pk)
    period = dig.text.splitlines()[1].removeprefix("统计时段：")
    r = HttpResponse(as_docx(dig.title, period, dig.sections, f"{dig.county.name}教育体育局"), content_type=DOCX)
    r["Content-Disposition"] = f"attachment; filename*=UTF-8''digest_{dig.pk}.docx"
    return r


@require_GET
@login_required
def digest_txt(request, pk: int):
    dig = get_object_or_404(scope.digests(request.user), pk=pk)
    return HttpResponse(dig.text, content_type="text/plain; charset=utf-8")
