"""Every write to the 控辍保学 ledgers (audited; audit entries name the child by number, never by name)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from junheng.web.audit.log import log
from junheng.web.ledgers.dropout.rules import cohort_counts, report_due, retention_rate, suspicion
from junheng.web.ledgers.models import DEFAULT_DUTY_ROLES, Child, ChildDuty, DropoutSettings, DutyRole, ReturnVisit


class DropoutError(Exception):
    """A write the child's ledger does not allow (Chinese message)."""


def duty_roles(county) -> list[DutyRole]:
    """The county's 七长责任制 roles, the default list created on first use."""
    roles = list(DutyRole.objects.filter(county=county))
    if not roles:
        DutyRole.objects.bulk_create([DutyRole(county=county, name=n, order=k) for k, n in enumerate(DEFAULT_DUTY_ROLES)],
                                     ignore_conflicts=True)
        roles = list(DutyRole.objects.filter(county=county))
    return roles


@transaction.atomic
def set_duty_roles(county, user, names: list[str]) -> list[DutyRole]:
    """Replace the list of roles (names in order; a role still held by someone is kept)."""
    names = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not names:
        raise DropoutError("至少保留一个职务。")
    old = {r.name: r for r in duty_roles(county)}
    for r in old.values():
        if r.name not in names and not ChildDuty.objects.filter(role=r).exists():
            r.delete()
    for k, n in enumerate(names):
        DutyRole.objects.update_or_create(county=county, name=n, defaults={"order": k})
    log(user, "duty_roles", county=county, target=f"{county.name}七长责任制", new="、".join(names))
    return duty_roles(county)


def limit(county) -> int:
    """Consecutive absent days beyond which a child is 疑似辍学 (county setting)."""
    return DropoutSettings.objects.get_or_create(county=county)[0].absent_days_limit


@transaction.atomic
def import_roll(county, user, rows, file_name: str) -> tuple[int, int]:
    """Add or update the children of a checked roll (dropout/roll.py), all or none; then derive
    疑似辍学. Returns (added, updated)."""
    added = updated = 0
    for rr in rows:
        f = rr.fields
        child = Child.objects.filter(id_number=f["id_number"]).first()
        if child is not None and child.county_id != county.pk:
            raise DropoutError(f"第 {rr.row} 行：该身份证号已在其他县的名单中，请与该县核实。")
        if child is None:
            Child.objects.create(county=county, **f)
            added += 1
        else:
            for k, v in f.items():
                setattr(child, k, v)
            child.save()
            updated += 1
    log(user, "child_imp", county=county, target=f"{county.name}适龄儿童名单",
        note=f"{file_name}：新增 {added} 人，更新 {updated} 人")
    derive(county, user)
    return added, updated


def _move(child: Child, user, state: str, note: str, **more) -> Child:
    old = child.get_state_display()
    child.state = state
    for k, v in more.items():
        setattr(child, k, v)
    child.save()
    log(user, "child_move", county=child.county, target=str(child), field="", old=old, new=child.get_state_display(),
        note=note)
    return child


@transaction.atomic
def derive(county, user=None) -> int:
    """Move children of the roll to 疑似辍学 (dropout/rules.suspicion) and back when the reason is
    gone. Confirmed 辍学 and closed children are left to people. Returns how many moved."""
    n, days = 0, limit(county)
    for child in Child.objects.filter(county=county, state__in=(Child.ROLL, Child.SUSPECTED)).select_related("county"):
        why = suspicion(child.school_id is not None, child.absent_days, days)
        if why and child.state == Child.ROLL:
            _move(child, user, Child.SUSPECTED, why, reason=why)
            n += 1
        elif not why and child.state == Child.SUSPECTED:
            _move(child, user, Child.ROLL, "原因消除（已在学籍中、缺勤未超限）", reason="")
            n += 1
        elif why and child.reason != why:
            child.reason = why
            child.save(update_fields=["reason"])
    return n


@transaction.atomic
def confirm(child: Child, user, note: str = "") -> Child:
    """疑似辍学 → 辍学 (confirmed by the county)."""
    if child.state != Child.SUSPECTED:
        raise DropoutError("只有疑似辍学的儿童可以确认为辍学。")
    return _move(child, user, Child.DROPOUT, note or "核实确认辍学")


@transaction.atomic
def add_visit(child: Child, user, on: dt.date, visitors: str, outcome: str, returned: bool) -> ReturnVisit:
    """A 劝返 record."""
    if not visitors.strip() or not outcome.strip():
        raise DropoutError("请填写劝返人员和劝返情况。")
    visit = ReturnVisit.objects.create(child=child, on=on, visitors=visitors.strip(), outcome=outcome.strip(),
                                       returned=returned, user=user)
    log(user, "child_back", county=child.county, target=str(child), note=f"{on:%Y-%m-%d} {visitors.strip()}："
                                                                          f"{'已返校' if returned else '未返校'}")
    return visit


@transaction.atomic
def close(child: Child, user, outcome: str, note: str, school=None) -> Child:
    """疑似辍学 or 辍学 → 已销号 with an outcome (返校 needs the school the child is back in)."""
    if child.state not in (Child.SUSPECTED, Child.DROPOUT):
        raise DropoutError("只有疑似辍学或辍学的儿童可以销号。")
    if outcome not in dict(Child.OUTCOMES):
        raise DropoutError("请选择销号方式（返校、转学、送教上门、其他）。")
    if not note.strip():
        raise DropoutError("请填写销号说明（佐证情况）。")
    more = {"outcome": outcome, "outcome_note": note.strip(), "closed_on": timezone.localdate()}
    if outcome == "returned":
        if school is None:
            raise DropoutError("返校须选择就读学校。")
        more.update(school=school, absent_days=0, reason="")
    return _move(child, user, Child.CLOSED, f"销号：{dict(Child.OUTCOMES)[outcome]}，{note.strip()}", **more)


@transaction.atomic
def set_absent(child: Child, user, days: int) -> Child:
    """The school's monthly report of a child's consecutive absent days; then derive again."""
    if days < 0 or days > 999:
        raise DropoutError("连续缺勤天数应为 0 至 999。")
    old = child.absent_days
    child.absent_days = days
    child.reported_on = timezone.localdate()
    child.save(update_fields=["absent_days", "reported_on", "updated_at"])
    log(user, "child_edit", county=child.county, target=str(child), old=f"连续缺勤天数：{old}", new=str(days))
    derive(child.county, user)
    child.refresh_from_db()
    return child


@transaction.atomic
def recheck(child: Child, user, note: str) -> Child:
    """The county's quarterly re-check of a 疑似辍学 or 辍学 child (a note; the date is recorded)."""
    if child.state not in (Child.SUSPECTED, Child.DROPOUT):
        raise DropoutError("只有疑似辍学或辍学的儿童需要复查。")
    if not note.strip():
        raise DropoutError("请填写复查情况。")
    child.rechecked_on = timezone.localdate()
    child.save(update_fields=["rechecked_on", "updated_at"])
    log(user, "child_edit", county=child.county, target=str(child), new="季度复查", note=note.strip())
    return child


def due(children, today: dt.date) -> dict[str, list[Child]]:
    """What is due now (dropout/rules.report_due): ``monthly``: children in a school whose
    attendance was not reported this month; ``quarterly``: 疑似辍学/辍学 children not re-checked
    this quarter."""
    kids = list(children)
    return {"monthly": [c for c in kids if c.school_id and c.state != Child.CLOSED
                        and report_due(c.reported_on, today, 1)],
            "quarterly": [c for c in kids if c.state in (Child.SUSPECTED, Child.DROPOUT)
                          and report_due(c.rechecked_on, today, 3)]}


def retention(county) -> list[dict]:
    """初中三年巩固率 per cohort (初一入学年份) of the county's roll: entered, graduating,
    transferred, deceased, rate (%) and the Q1 check of the 优质均衡 pack on it (core.county_checks)."""
    from junheng.core.county_checks import rates
    from junheng.rules import load_rules

    q1 = next((i for i in load_rules("quality-2017").county_items if i.id == "Q1"), None)
    out = []
    years = sorted(set(Child.objects.filter(county=county, junior_entry_year__isnull=False)
                       .values_list("junior_entry_year", flat=True)))
    for y in years:
        rows = Child.objects.filter(county=county, junior_entry_year=y).values_list("state", "outcome", "school", "deceased")
        entered, grad, moved, dead = cohort_counts((s, o, sch is not None, d) for s, o, sch, d in rows)
        rate = retention_rate(entered, grad, moved, dead)
        check = rates({"junior_retention_rate": rate} if rate is not None else {}, dict(q1.params)) if q1 else None
        out.append({"year": y, "entered": entered, "graduating": grad, "transferred": moved, "deceased": dead,
                    "rate": rate, "check": check})
    return out
