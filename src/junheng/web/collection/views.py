"""School-year records: view, entry form, workflow actions, Excel round trip, county pages.

Thin: rows come from areas/scope.py, validation from collection/validation.py (the file
importer's rules), writes from collection/services.py and collection/bulk.py.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import polars as pl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from junheng.errors import InputError
from junheng.io.convert import dtype_of
from junheng.sample import write_school_table
from junheng.schema import FIELDS
from junheng.web.areas import scope
from junheng.web.areas.views import current_year
from junheng.web.audit.log import field_label
from junheng.web.collection import services
from junheng.web.collection.bulk import import_upload
from junheng.web.collection.models import SchoolYear
from junheng.web.collection.progress import county_progress as county_progress_of
from junheng.web.collection.table import row_data
from junheng.web.collection.uploads import read_upload
from junheng.web.collection.validation import FORM_FIELDS, form_group, form_label, initial_values, validate_form
from junheng.web.versions import MISSING_VERSION, posted_version


def _record(request, pk: int) -> SchoolYear:
    return get_object_or_404(scope.records(request.user), pk=pk)


def saved_message(record: SchoolYear) -> str:
    """``已保存（第 3 版，10:42）。``: which save the message is about (a message seen again later
    names its version and time, not just "已保存")."""
    return f"已保存（第 {record.version} 版，{timezone.localtime(record.updated_at):%H:%M}）。"


def identity(school) -> dict:
    """The fixed identity cells of a school's row (validation.FIXED)."""
    return {"school_id": school.school_id, "name": school.name, "county_code": school.county.code,
            "county": school.county.name}


#: Said above the form when it was not saved because of the values (not of a version conflict).
UNSAVED_FIELDS = "有错误，未保存。请按字段旁的提示修改。"
UNSAVED = "有错误，未保存。"


@require_POST
@login_required
def record_open(request, pk: int):
    school = get_object_or_404(scope.schools(request.user), pk=pk)
    w = scope.who(request.user)
    scope.require(w.role == scope.roles.REPORTER)
    year = valid_year(request.POST.get("year", ""))
    if year is None:
        messages.error(request, BAD_YEAR)
        return redirect("school_detail", pk=school.pk)
    record = services.open_record(school, year, request.user)
    return redirect("record_edit" if record.editable else "record_detail", pk=record.pk)


@login_required
def record_detail(request, pk: int):
    record = _record(request, pk)
    values = initial_values(record.data)
    rows = [(form_label(f), values.get(f.code, "")) for f in FORM_FIELDS]
    history = None
    if scope.who(request.user).role in scope.roles.AUDIT_ROLES:
        history = scope.audit(request.user).filter(record_id=record.pk).select_related("user")[:200]
        for e in history:
            e.field_label = field_label(e.field)
    return render(request, "collection/record_detail.html", {
        "record": record, "rows": rows, "history": history,
        "can_edit": scope.can_edit(request.user, record), "can_review": scope.can_review(request.user, record),
        "can_return": record.status == SchoolYear.APPROVED and scope.is_county_staff(request.user, record.school.county),
    })


@login_required
def record_edit(request, pk: int):
    record = _record(request, pk)
    scope.require(scope.can_edit(request.user, record))
    values, errors, general, version = initial_values(record.data or _starting_data(record)), {}, [], record.version
    check_general = []  # the importer's issues that name no field (a version conflict says 未保存 itself)
    if request.method == "POST":
        values = {f.code: request.POST.get(f.code, "") for f in FORM_FIELDS}
        version = posted_version(request)
        check = validate_form(identity(record.school), values)
        errors, general = check.errors, check.general
        check_general = check.general
        if version is None:
            general = [*general, MISSING_VERSION]
            version = ""   # the user never saw a version: reopening the record is the way on
        elif check.data is not None:
            try:
                saved = services.save_data(record, request.user, check.data, version)
            except services.WorkflowError as e:
                general = [str(e)]
            else:
                for w in check.warnings:
                    messages.warning(request, w)
                messages.success(request, saved_message(saved))
                return redirect("record_detail", pk=record.pk)
    fields = [{"code": f.code, "label": form_label(f), "value": values.get(f.code, ""),
               "errors": errors.get(f.code, []), "group": f.group} for f in FORM_FIELDS]
    groups: dict[str, list] = {}
    for f, item in zip(FORM_FIELDS, fields):
        groups.setdefault(form_group(f), []).append(item)
    return render(request, "collection/record_edit.html", {
        "record": record, "fields": fields, "groups": groups, "general": general, "version": version,
        "unsaved": UNSAVED_FIELDS if errors else UNSAVED if check_general else ""}, status=200)


def _starting_data(record: SchoolYear) -> dict:
    """What a new record's form starts with: the school's identity fields (乡镇、办学类型、城乡分类…)
    from its latest earlier record, else from the school; never last year's figures."""
    last = SchoolYear.objects.filter(school=record.school, year__lt=record.year).exclude(data={}).order_by("-year").first()
    keep = ("township", "urban_rural_code", "school_type", "ownership", "authority", "parent_id", "central_urban")
    if last is not None:
        return {k: last.data.get(k) for k in keep}
    return {"township": record.school.township.name if record.school.township else None,
            "school_type": record.school.school_type}


def _transition(request, pk: int, allowed, action, **kw):
    """A workflow step. allowed(user, record): the role may take it on this record at all (else 403);
    whether the record's state allows it now is the service's WorkflowError (a message, nothing changed)."""
    record = _record(request, pk)
    scope.require(allowed(request.user, record))
    version = posted_version(request)
    if version is None:
        messages.error(request, MISSING_VERSION)
        return redirect("record_detail", pk=record.pk)
    try:
        action(record, request.user, version, **kw)
    except services.WorkflowError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "操作成功。")
    return redirect("record_detail", pk=record.pk)


@require_POST
@login_required
def record_submit(request, pk: int):
    return _transition(request, pk, scope.is_reporter_of, services.submit)


@require_POST
@login_required
def record_approve(request, pk: int):
    return _transition(request, pk, lambda user, r: scope.is_county_staff(user, r.school.county), services.approve)


@require_POST
@login_required
def record_return(request, pk: int):
    return _transition(request, pk, lambda user, r: scope.is_county_staff(user, r.school.county), services.send_back,
                       reason=request.POST.get("reason", ""))


@login_required
def record_excel(request, pk: int):
    """The school's sheet (the county export layout, junheng.sample.write_school_table), to fill in offline."""
    record = _record(request, pk)
    data = {**identity(record.school), "township": record.school.township.name if record.school.township else None,
            "school_type": record.school.school_type, **record.data}
    frame = pl.DataFrame({f.code: [data.get(f.code)] for f in FIELDS}, schema={f.code: dtype_of(f) for f in FIELDS})
    with tempfile.TemporaryDirectory(prefix="junheng-sheet-") as tmp:
        path = Path(tmp) / "sheet.xlsx"
        write_school_table(frame, path, title=f"{record.school.name}{record.year}学年基本情况统计表", year=record.year)
        body = io.BytesIO(path.read_bytes())
    return FileResponse(body, as_attachment=True, filename=f"{record.school.school_id}-{record.year}.xlsx")


@require_POST
@login_required
def record_upload(request, pk: int):
    record = _record(request, pk)
    scope.require(scope.can_edit(request.user, record))
    upload, version = request.FILES.get("file"), posted_version(request)
    if version is None:
        messages.error(request, MISSING_VERSION)
        return redirect("record_edit", pk=record.pk)
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
        return redirect("record_edit", pk=record.pk)
    try:
        res = read_upload(upload)
    except InputError as e:
        for issue in e.issues:
            if issue.level == "error":
                messages.error(request, str(issue))
        messages.error(request, "文件有错误，未保存任何数据。")
        return redirect("record_edit", pk=record.pk)
    ids = res.table["school_id"].to_list()
    if ids != [record.school.school_id]:
        messages.error(request, f"上传的表应只有本校（学校标识码 {record.school.school_id}）一行，"
                                f"实际为：{'、'.join(map(str, ids[:5]))}{'…' if len(ids) > 5 else ''}。未保存任何数据。")
        return redirect("record_edit", pk=record.pk)
    try:
        services.save_data(record, request.user, row_data(res.table), version, action="upload")
    except services.WorkflowError as e:
        messages.error(request, str(e))
        return redirect("record_edit", pk=record.pk)
    for w in res.warnings:
        messages.warning(request, str(w))
    messages.success(request, f"已从 {res.file} 导入本校数据。")
    return redirect("record_detail", pk=record.pk)


#: Said when a year given on a form is not one :func:`valid_year` accepts.
BAD_YEAR = "学年应为 1990–2100 之间的年份。"


def valid_year(text: str) -> int | None:
    """The school year ``text`` names (digits, 1990–2100), else None; every year a form posts is checked here."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 1990 <= int(text) <= 2100 else None


def _year(request, county=None) -> int:
    """The year asked for, else the county's latest year with records, else this year."""
    y = valid_year(request.GET.get("year") or request.POST.get("year") or "")
    if y is not None:
        return y
    return latest_year(county) if county is not None else current_year()


def latest_year(county) -> int:
    """The latest school year with records in ``county`` (this year when there is none)."""
    last = SchoolYear.objects.filter(school__county=county).order_by("-year").values_list("year", flat=True).first()
    return last or current_year()


@login_required
def county_progress(request, pk: int):
    """Submission progress of a county's year: every school and where its record stands."""
    county = get_object_or_404(scope.counties(request.user), pk=pk)
    year = _year(request, county)
    progress = county_progress_of(county, year)
    years = sorted(set(SchoolYear.objects.filter(school__county=county).values_list("year", flat=True)), reverse=True)
    return render(request, "collection/county_progress.html", {
        "county": county, "year": year, "rows": progress.rows, "counts": progress.counts, "years": years,
        "can_manage": scope.can_manage(request.user, county),
        "can_review": scope.is_county_staff(request.user, county)})


@require_POST
@login_required
def county_approve(request, pk: int):
    """Approve the submitted records of a county's year that the reviewer ticked (each through
    services.approve: its own version check and audit entry)."""
    county = get_object_or_404(scope.counties(request.user), pk=pk)
    scope.require(scope.is_county_staff(request.user, county))
    year = _year(request, county)
    wanted = {int(v) for v in request.POST.getlist("record") if v.isdigit()}
    seen = {int(k.removeprefix("version_")): int(v) for k, v in request.POST.items()
            if k.startswith("version_") and k[8:].isdigit() and v.isdigit()}
    done, refused = 0, []
    for record in SchoolYear.objects.filter(school__county=county, year=year, pk__in=wanted,
                                            status=SchoolYear.SUBMITTED).select_related("school", "school__county"):
        if record.pk not in seen:
            refused.append(f"{record.school.name}：{MISSING_VERSION}")
            continue
        try:
            services.approve(record, request.user, seen[record.pk])
            done += 1
        except services.WorkflowError as e:
            refused.append(f"{record.school.name}：{e}")
    messages.success(request, f"已审核通过 {done} 所学校的数据。")
    for r in refused:
        messages.error(request, r)
    return redirect(f"{reverse('county_progress', args=[county.pk])}?year={year}")


@login_required
def county_import(request, pk: int):
    county = get_object_or_404(scope.counties(request.user), pk=pk)
    scope.require(scope.can_manage(request.user, county))
    summary = None
    year = _year(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if valid_year(request.POST.get("year", "")) is None:
            messages.error(request, BAD_YEAR + "未导入任何数据。")
        elif upload is None:
            messages.error(request, "请选择要导入的学校数据表。")
        else:
            summary = import_upload(county, year, upload, request.user)
    return render(request, "collection/county_import.html", {"county": county, "year": year, "summary": summary})
