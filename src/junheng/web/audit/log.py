"""Writing the audit log (the only writer of audit.models.AuditEntry)."""
from __future__ import annotations

from junheng.schema import FIELD_BY_CODE
from junheng.web.audit.models import AuditEntry


def _text(v) -> str:
    return "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))


def log(user, action: str, *, county, target: str, record_id=None, field: str = "", old=None, new=None,
        note: str = "") -> AuditEntry:
    """Add one entry; ``field`` is a canonical code (shown by its Chinese header)."""
    return AuditEntry.objects.create(user=user if user and user.is_authenticated else None, county=county,
                                     action=action, target=target, record_id=record_id, field=field,
                                     old=_text(old), new=_text(new), note=note)


def log_changes(user, action: str, record, old: dict, new: dict, note: str = "") -> int:
    """One entry per field whose value differs between ``old`` and ``new`` (canonical data dicts).

    Returns the number of changed fields (0: nothing logged)."""
    changed = [c for c in FIELD_BY_CODE if old.get(c) != new.get(c)]
    for code in changed:
        log(user, action, county=record.school.county, target=str(record), record_id=record.pk, field=code,
            old=old.get(code), new=new.get(code), note=note)
    return len(changed)


def field_label(code: str) -> str:
    """Chinese header of a canonical code ('' stays '')."""
    f = FIELD_BY_CODE.get(code)
    return f.header if f else code
