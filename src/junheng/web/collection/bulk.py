"""County bulk import of the whole school table: all or nothing, with a summary per row.

The file goes through the file importer (collection/uploads.py); if it has any error nothing is
changed and every issue is listed. Otherwise, in one transaction, each school row is added,
changed (its record goes back to 已提交待审核), left unchanged, or rejected with its reason (a
school of another county, a record already approved: return it first). Every change is audited.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from junheng.errors import InputError
from junheng.io import LoadResult
from junheng.web.areas.loading import county_area, upsert_school
from junheng.web.audit.log import log, log_changes
from junheng.web.collection.models import SchoolYear
from junheng.web.collection.table import row_data
from junheng.web.collection.uploads import read_upload


@dataclass
class ImportSummary:
    """What a bulk import did; rows are ``(行号, 学校标识码, 学校名称, 说明)``."""

    added: list[tuple] = field(default_factory=list)
    changed: list[tuple] = field(default_factory=list)
    unchanged: list[tuple] = field(default_factory=list)
    rejected: list[tuple] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when the file was refused as a whole (nothing changed)."""
        return bool(self.issues)


def import_upload(county, year: int, upload, user) -> ImportSummary:
    """Import ``upload`` (the county's school table) into ``county``'s records of ``year``."""
    try:
        res = read_upload(upload)
    except InputError as e:
        return refused(e)
    return import_table(res, year, user, county=county)


def refused(e: InputError) -> ImportSummary:
    """The summary of a file the importer refused as a whole (its errors; nothing changed)."""
    return ImportSummary(issues=[str(i) for i in e.issues if i.level == "error"])


def import_table(res: LoadResult, year: int, user, county=None, strict: bool = False) -> ImportSummary:
    """Import a read school table into the records of ``year``, in one transaction.

    county: the county whose rows are taken (rows of other counties are rejected); None for the
    first load of a fresh workspace (``junheng admin import``): every row's county, and its province,
    city and township, are created from the table (areas/loading.py) as needed. strict: any rejected
    row refuses the whole file (nothing changed; the reasons become ``issues``). user: who imports
    (None for the command line), for the audit log."""
    out = ImportSummary(warnings=[str(w) for w in res.warnings])
    with transaction.atomic():
        touched = {}
        for i in range(res.table.height):
            data = row_data(res.table, i)
            row = int(res.table["source_row"][i])
            here = county
            if here is None and data.get("county_code"):
                here = county_area(data["county_code"], data.get("county"))
            if here is None:
                out.rejected.append((row, data["school_id"], data["name"], "县(区)代码为空，无法确定所属县(区)。"))
                continue
            touched[here.pk] = here
            _import_row(here, year, data, row, user, out)
        if strict and out.rejected:
            transaction.set_rollback(True)
            out.issues = [f"第 {r[0]} 行（{r[1]} {r[2]}）：{r[3]}" for r in out.rejected]
            return out
        for here in touched.values() or ([county] if county is not None else []):
            log(user, "import", county=here, target=f"{here.name} {year} 年学校数据表", note=(
                f"文件 {res.file}：新增 {len(out.added)}，修改 {len(out.changed)}，未变 {len(out.unchanged)}，"
                f"拒绝 {len(out.rejected)}"))
    return out


def _import_row(county, year: int, data: dict, row: int, user, out: ImportSummary) -> None:
    key = (row, data["school_id"], data["name"])
    if data.get("county_code") != county.code:
        out.rejected.append(key + (f"县(区)代码为 {data.get('county_code') or '空'}，不是本县（{county.code}）的学校。",))
        return
    existing = SchoolYear.objects.filter(school__school_id=data["school_id"], year=year).first()
    if existing is not None and existing.school.county_id != county.pk:
        out.rejected.append(key + ("该学校标识码已登记在其他县(区)。",))
        return
    if existing is not None and existing.data == data:
        out.unchanged.append(key + ("",))
        return
    if existing is not None and existing.status == SchoolYear.APPROVED:
        out.rejected.append(key + ("该校本年度数据已审核通过，不能被导入覆盖；如需修改请先退回。",))
        return
    school, _ = upsert_school(county, data)
    if existing is None:
        record = SchoolYear.objects.create(school=school, year=year, data=data, status=SchoolYear.SUBMITTED,
                                           updated_by=user)
        log(user, "import", county=county, target=str(record), record_id=record.pk, note="新增")
        out.added.append(key + ("",))
        return
    old = existing.data
    if not SchoolYear.objects.filter(pk=existing.pk, version=existing.version).update(
            data=data, status=SchoolYear.SUBMITTED, updated_by=user, version=existing.version + 1):
        out.rejected.append(key + ("该校记录正在被他人修改，未导入；请稍后重新导入。",))
        return
    n = log_changes(user, "import", existing, old, data)
    out.changed.append(key + (f"{n} 项有变化",))
