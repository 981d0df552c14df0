"""The entry form's validation: the form's values as a one-school table through the file importer.

No rule is written here: :func:`validate_form` builds a header row and one data row from the
form (the same Chinese headers a county export has) and runs
:func:`junheng.io.school_table.read_rows`; each issue is put back beside the field its column
letter names.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from junheng.errors import InputError
from junheng.io.school_table import read_rows
from junheng.sample import column_header
from junheng.sample.write import group_label
from junheng.schema import FIELDS, Field
from junheng.web.collection.table import cell_text, issue_column, row_data

#: Fields the school cannot change on the form (they identify the school; the county keeps them).
FIXED = ("school_id", "name", "county_code", "county")
#: The fields of the form, in data-dictionary order.
FORM_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.code not in FIXED)
#: Where the form is named in messages.
FORM_FILE = "网页填报表"


def form_label(f: Field) -> str:
    """The label of a form field: the canonical header with its unit (``教学仪器设备资产值(万元)``)."""
    return column_header(f)


def form_group(f: Field) -> str:
    """The heading a field is shown under: 学校基本信息 / 小学 / 初中 / 高中 / 办学条件 (as the county export groups them)."""
    return group_label(f)


def initial_values(data: dict) -> dict[str, str]:
    """Form texts of stored data (equipment shown in 万元, as the form asks for)."""
    out = {}
    for f in FORM_FIELDS:
        v = data.get(f.code)
        if f.code == "equipment_value_yuan" and v is not None:
            v = round(v / 10_000, 6)
        out[f.code] = cell_text(v) or ""
    return out


@dataclass
class FormCheck:
    """Outcome of :func:`validate_form`: ``data`` (None when refused), issues per field code,
    issues of the whole record, warnings (text)."""

    data: dict | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def validate_form(identity: dict, values: dict[str, str]) -> FormCheck:
    """Validate the form ``values`` (code → text) of the school ``identity`` (the :data:`FIXED` codes).

    Returns a :class:`FormCheck`; ``data`` is the canonical row (what a file with these cells gives).
    """
    fields = list(FIELDS)
    header = [column_header(f) for f in fields]
    cells = [identity.get(f.code) if f.code in FIXED else (values.get(f.code) or "").strip() or None
             for f in fields]
    codes = [f.code for f in fields]
    try:
        res = read_rows([header, cells], file=FORM_FILE)
    except InputError as e:
        out = FormCheck(None)
        for issue in e.issues:
            _place(out, issue, codes)
        return out
    out = FormCheck(row_data(res.table))
    for w in res.warnings:
        _place(out, w, codes)
    return out


_FORM_CODES = {f.code for f in FORM_FIELDS}
_LABELS = {f.code: form_label(f) for f in FIELDS}


def _place(out: FormCheck, issue, codes: list[str]) -> None:
    """An error beside its form field (or with the record's errors); a warning with its field's label."""
    code = issue_column(issue, codes)
    if issue.level != "error":
        out.warnings.append((f"{_LABELS[code]}：" if code else "") + issue.message)
    elif code in _FORM_CODES:
        out.errors.setdefault(code, []).append(issue.message)
    else:
        out.general.append((f"{_LABELS[code]}：" if code else "") + issue.message)
