"""Demo content of the ledgers for ``junheng serve --demo`` (web/demo.py): 整改台账 items from the
demo snapshot and an inspectors' list (one overdue), a small 适龄儿童 roll, a 日报."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from junheng.web.ledgers.dropout.rules import check_char


def _id(region: str, birth: dt.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


def load_ledger_demo(county, snap, user) -> None:
    """Fill the demo county's ledgers (idempotence is web/demo.py's: it runs once)."""
    from junheng.web.areas.models import School
    from junheng.web.ledgers.digests.services import make
    from junheng.web.ledgers.dropout import services as drop
    from junheng.web.ledgers.models import Child, RectItem
    from junheng.web.ledgers.rectification import services as rect

    rect.from_snapshot(snap, "basic-2012", user)
    today = timezone.localdate()
    for k, item in enumerate(RectItem.objects.filter(county=county).order_by("pk")):
        item.deadline = today + dt.timedelta(days=(k % 5) * 30 - 20)  # a few already past
        item.save(update_fields=["deadline"])
    schools = list(School.objects.filter(county=county).order_by("school_id")[:3])
    for seq, (problem, measures, unit, person, days) in enumerate((
            ("部分学校图书复本量过大、更新不及时", "剔除旧书，每年新增图书不少于生均 1 册", schools[0].name, "校长", -10),
            ("城区学校大班额问题尚未完全消除", "新建城东小学，2026 年秋季学期分流", "县教育体育局", "分管副局长", 200),
            ("音体美专任教师不足", "公开招聘音体美教师 20 名，实行县域内交流轮岗", "县教育体育局人事股", "股长", 90)), 1):
        rect.create(county, user, source="inspection", seq=seq, problem=problem, measures=measures, owner_unit=unit,
                    school=schools[0] if unit == schools[0].name else None, owner_person=person,
                    deadline=today + dt.timedelta(days=days))
    town = schools[0].township
    names = ("张小明", "李小红", "王小刚", "赵小芳", "刘小军", "陈小兰")
    for k, name in enumerate(names):
        birth = dt.date(2011 + k % 3, 1 + k, 10 + k)
        Child.objects.create(county=county, township=town, village="东门社区", name=name, gender="男女"[k % 2],
                             id_number=_id(county.code, birth, 10 + k), birth_date=birth, guardian=name[0] + "家长",
                             school=None if k == 0 else schools[k % 3], grade="七年级", junior_entry_year=2024,
                             absent_days=12 if k == 1 else 0)
    drop.derive(county, user)
    make(county, None, "daily", user)
