"""Freezing snapshots and assessing them: the same calls as ``junheng assess``.

:func:`assessed` reads the snapshot's rows back through the file importer
(collection/table.py), refuses a pack whose columns are missing exactly as the CLI does
(core.requirements.missing_fields) and runs :func:`junheng.core.assess`; from that one call
:func:`assessment_json` stores :func:`junheng.report.payload.assessment_payload` (the document of
``junheng assess -f json``) and :func:`weakest` the weakest units.
"""
from __future__ import annotations

import orjson
from django.db import IntegrityError, transaction

from junheng.core import assess
from junheng.core.requirements import missing_fields
from junheng.core.trace import weakest_units
from junheng.errors import InputError, Issue
from junheng.report.payload import JSON_OPTIONS, assessment_payload
from junheng.rules import load_rules
from junheng.rules.catalog import pack_names
from junheng.web.audit.log import log
from junheng.web.collection.models import SchoolYear
from junheng.web.collection.table import load_stored
from junheng.web.snapshots.models import Snapshot, SnapshotAssessment

#: Rule packs offered (id → Chinese name), as on the command line.
PACKS = pack_names()


class FreezeError(Exception):
    """The snapshot cannot be made (Chinese message)."""


@transaction.atomic
def freeze(county, year: int, user, label: str = "") -> Snapshot:
    """Freeze the approved records of ``county`` and ``year`` into a new :class:`Snapshot`.

    Records not approved are listed in ``excluded``. Raises FreezeError when none is approved.
    """
    records = list(SchoolYear.objects.filter(school__county=county, year=year).select_related("school")
                   .order_by("school__school_id"))
    approved = [r for r in records if r.status == SchoolYear.APPROVED]
    if not approved:
        raise FreezeError(f"{county.name} {year} 年没有审核通过的学校数据，不能冻结快照。")
    snap = Snapshot.objects.create(
        county=county, year=year, label=label.strip(), created_by=user,
        rows=[r.data for r in approved],
        excluded=[{"school_id": r.school.school_id, "name": r.school.name, "status": r.get_status_display()}
                  for r in records if r.status != SchoolYear.APPROVED])
    log(user, "freeze", county=county, target=str(snap),
        note=f"纳入 {len(approved)} 所学校，未纳入 {len(snap.excluded)} 所（未审核通过）")
    return snap


def source_name(snap: Snapshot) -> str:
    """The name the assessment gives as its source (``source`` in the JSON, the reports' 数据 line
    and 说明): “均衡示例县2025年数据快照#2”, with “（未纳入12所未审核通过的学校）” when the
    snapshot leaves schools out, so that no output of a partial snapshot passes for the county's."""
    left_out = f"（未纳入{len(snap.excluded)}所未审核通过的学校）" if snap.excluded else ""
    return f"{snap.county.name}{snap.year}年数据快照#{snap.pk}{left_out}"


def partial_note(snap: Snapshot) -> str | None:
    """The sentence the reports of a snapshot that leaves schools out open with (report/bundle.py
    ``partial``: also a mark in their titles); None when every school of the year is in it."""
    if not snap.excluded:
        return None
    return (f"本材料依据{snap.county.name}{snap.year}年数据快照#{snap.pk}，未纳入{len(snap.excluded)}所未审核通过的学校，"
            f"学校数和各项指标只含快照中的{len(snap.rows)}所学校，不能作为全县正式评估材料。")


def stored_table(snap: Snapshot, rules):
    """The LoadResult of ``snap``'s stored rows read back through the file importer, the columns of
    the RulePack ``rules`` checked as the CLI does (core.requirements.missing_fields). Raises
    InputError when the rows fail validation or lack a column the pack needs."""
    res = load_stored(snap.rows, file=source_name(snap))
    missing = missing_fields(res.present, res.table, rules)
    if missing:
        raise InputError([Issue("error", f"规则包 {rules.id}（{rules.name}）计算需要以下列，快照中没有："
                                         f"{'、'.join(f.header for f in missing)}。", code="missing_indicator_column")])
    return res


def assessed(snap: Snapshot, pack: str):
    """(Assessment, LoadResult, warnings as text) of ``snap`` under ``pack``: the stored rows read
    back through the file importer, the pack's columns checked as the CLI does (:func:`stored_table`),
    core.assess.

    Raises InputError when the stored rows fail validation or lack a column the pack needs, KeyError
    for an unknown pack."""
    if pack not in PACKS:
        raise KeyError(pack)
    rules = load_rules(pack)
    res = stored_table(snap, rules)
    kept = [str(w) for w in res.warnings if w.code != "optional_column_missing"]
    return assess(res.table, rules, year=snap.year), res, kept


def weakest_of(a) -> dict:
    """``{county_code: {level: [row, …]}}``: :func:`junheng.core.trace.weakest_units` (at most 10 a
    level) of every county and level of the assessment ``a``, as JSON-ready rows."""
    return {c.county_code or c.county_key: {lv: weakest_units(a, c.county_key, lv).to_dicts() for lv in c.levels}
            for c in a.counties}


def _stored(snap: Snapshot, pack: str) -> SnapshotAssessment:
    """The stored assessment of ``snap`` under ``pack``: document and weakest units from one call of
    :func:`assessed`, made on first request (a snapshot never changes); raises as :func:`assessed`."""
    done = SnapshotAssessment.objects.filter(snapshot=snap, pack=pack).first()
    if done is not None and done.weakest is not None:
        return done
    a, _, warnings = assessed(snap, pack)
    weakest = weakest_of(a)
    if done is not None:  # stored before the weakest units were kept: the document stays as it is
        SnapshotAssessment.objects.filter(pk=done.pk).update(weakest=weakest)
        done.weakest = weakest
        return done
    text = orjson.dumps(assessment_payload(a, warnings=warnings, source=source_name(snap)), option=JSON_OPTIONS)
    try:
        with transaction.atomic():
            return SnapshotAssessment.objects.create(snapshot=snap, pack=pack, document=text.decode(), weakest=weakest)
    except IntegrityError:  # computed at the same time by another request: the same document
        return SnapshotAssessment.objects.get(snapshot=snap, pack=pack)


def assessment_json(snap: Snapshot, pack: str) -> bytes:
    """The stored assessment document of ``snap`` under ``pack`` as JSON text (UTF-8, the options of
    report/payload.py), computed on first request (a snapshot never changes)."""
    done = SnapshotAssessment.objects.filter(snapshot=snap, pack=pack).first()
    return (done or _stored(snap, pack)).document.encode()


def weakest(snap: Snapshot, pack: str) -> dict:
    """The stored weakest units of ``snap`` under ``pack`` (:func:`weakest_of`); raises as :func:`assessed`."""
    return _stored(snap, pack).weakest
