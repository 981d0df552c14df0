"""The 适龄儿童 roll imported from a 户籍/人口 list (Excel or CSV), validated like every import.

Columns (ledgers/lists.py: the importer's readers, header matching and limits): 姓名, 身份证号,
性别, 乡镇(街道), 村（居）, 监护人, 联系电话, 就读学校, 年级, 初一入学年份, 连续缺勤天数. Required:
姓名, 身份证号, 乡镇(街道). The identity number must be valid (GB 11643, dropout/rules.py) and
appear once; 乡镇 must be a township of the county and 就读学校 (when given) one of its schools;
初一入学年份 a year, 连续缺勤天数 a whole number ≥ 0; the child (birth date from the identity number)
of compulsory-education age in the ledger's school year (dropout/rules.py ``school_age_problem``).
Any error: nothing is imported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from junheng.web.ledgers.dropout.rules import birth_of, id_problem, normal_id, school_age_problem
from junheng.web.ledgers.lists import field_lengths, read_list

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "儿童姓名", "学生姓名"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号码"),
    "gender": ("性别",),
    "township": ("乡镇(街道)", "乡镇", "户籍所在乡镇", "乡镇街道"),
    "village": ("村（居）", "村(居)", "村", "村居委会", "社区"),
    "guardian": ("监护人", "监护人姓名", "家长姓名"),
    "phone": ("联系电话", "电话", "监护人电话"),
    "school": ("就读学校", "学校", "学校名称"),
    "grade": ("年级",),
    "junior_entry_year": ("初一入学年份", "初中入学年份"),
    "absent_days": ("连续缺勤天数", "缺勤天数"),
}
REQUIRED = ("name", "id_number", "township")


@dataclass
class RollRow:
    """One child of the list (values checked; school/township as objects)."""

    row: int
    fields: dict


def read_roll(path: str | Path, county, year: int, *, name: str | None = None) -> list[RollRow]:
    """The rows of a roll for ``county`` in the school year ``year`` (module doc); raises InputError
    listing every error (file, row, column)."""
    from junheng.web.areas.models import Area, School

    from junheng.web.ledgers.models import Child

    rows, rep = read_list(path, COLUMNS, REQUIRED, ("name", "id_number"), name=name, what="适龄儿童名单",
                          lengths=field_lengths(Child, COLUMNS))
    towns = {a.name: a for a in Area.objects.filter(parent=county, level="township")}
    schools = {s.name: s for s in School.objects.filter(county=county)}
    seen: dict[str, int] = {}
    out: list[RollRow] = []
    for lr in rows:
        v, r = lr.values, lr.row
        f = {k: v[k] for k in ("name", "gender", "village", "guardian", "phone", "grade")}
        ident = normal_id(v["id_number"])
        if ident:
            bad = id_problem(ident)
            if bad:
                rep.add("error", "bad_id", f"{bad}。", row=r, column="id_number")
            elif ident in seen:
                rep.add("error", "duplicate_id", f"身份证号与第 {seen[ident]} 行重复。", row=r, column="id_number")
            elif (age := school_age_problem(birth_of(ident), year)) is not None:
                rep.add("error", "not_school_age", f"{age}。", row=r, column="id_number")
            else:
                seen[ident] = r
                f.update(id_number=ident, birth_date=birth_of(ident))
        if v["township"]:
            f["township"] = towns.get(v["township"])
            if f["township"] is None:
                rep.add("error", "unknown_township", f"“{v['township']}”不是本县的乡镇(街道)（按学校数据表）。",
                        row=r, column="township")
        f["school"] = schools.get(v["school"]) if v["school"] else None
        if v["school"] and f["school"] is None:
            rep.add("error", "unknown_school", f"“{v['school']}”不是本县学校数据表中的学校。", row=r, column="school")
        f["junior_entry_year"] = None
        if v["junior_entry_year"]:
            if re.fullmatch(r"(19|20)\d\d", v["junior_entry_year"]):
                f["junior_entry_year"] = int(v["junior_entry_year"])
            else:
                rep.add("error", "bad_year", f"“{v['junior_entry_year']}”不是年份（如 2023）。", row=r,
                        column="junior_entry_year")
        f["absent_days"] = 0
        if v["absent_days"]:
            if re.fullmatch(r"\d{1,3}", v["absent_days"]):
                f["absent_days"] = int(v["absent_days"])
            else:
                rep.add("error", "bad_days", f"“{v['absent_days']}”应为 0 或正整数（天）。", row=r, column="absent_days")
        out.append(RollRow(r, f))
    if rep.has_errors:
        raise rep.fail()
    return out
