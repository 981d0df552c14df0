"""``junheng serve --demo``: the bundled sample county with one account per role.

Loads src/junheng/sample/data/sample_county.xlsx through the file importer (as a county bulk
import would), gives the schools' records of :data:`DEMO_YEAR` a spread of workflow states,
freezes one snapshot of the approved ones, and creates the accounts of :data:`DEMO_ACCOUNTS`.
Idempotent: a database that already has the demo is left as it is.
"""
from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from junheng.io import read_school_table
from junheng.sample import SAMPLE_XLSX
from junheng.web.accounts import create_user
from junheng.web.areas import roles
from junheng.web.areas.loading import county_area, upsert_school
from junheng.web.audit.log import log
from junheng.web.collection.models import SchoolYear
from junheng.web.collection.table import row_data
from junheng.web.snapshots.services import freeze

DEMO_YEAR = 2025
#: (username, role, where, full name): ``where`` is "school" (the first school), or an area level.
DEMO_ACCOUNTS = (
    ("school", roles.REPORTER, "school", "示例学校填报员"),
    ("reviewer", roles.COUNTY_REVIEWER, "county", "示例县审核员"),
    ("county", roles.COUNTY_ADMIN, "county", "示例县管理员"),
    ("township", roles.TOWNSHIP_VIEWER, "township", "示例乡镇查看员"),
    ("inspector", roles.INSPECTOR, "city", "示例市级督导"),
    ("admin", roles.SYSADMIN, None, "示例系统管理员"),
)


@transaction.atomic
def load_demo(password: str | None = None, ledgers: bool = True) -> tuple[list[tuple[str, str, str]], str]:
    """Load the demo (once). Returns ([(username, role name, where)], password); the password is
    generated when not given and is the same for every demo account. ledgers: also fill the work
    ledgers (ledgers/demo.py; the web tests start without)."""
    User = get_user_model()
    password = password or secrets.token_urlsafe(9)
    if User.objects.filter(username="county").exists():
        return [], ""
    res = read_school_table(SAMPLE_XLSX)
    county = None
    schools = []
    for i in range(res.table.height):
        data = row_data(res.table, i)
        county = county or county_area(data["county_code"], data["county"])
        school, _ = upsert_school(county, data)
        schools.append((school, data))
    # most records approved; a few submitted, returned and draft, so every page has something to show
    for k, (school, data) in enumerate(schools):
        status = (SchoolYear.DRAFT if k == 0 else SchoolYear.SUBMITTED if k % 17 == 1 else
                  SchoolYear.RETURNED if k % 23 == 2 else SchoolYear.APPROVED)
        SchoolYear.objects.create(school=school, year=DEMO_YEAR, data=data, status=status,
                                  return_reason="请核对图书册数。" if status == SchoolYear.RETURNED else "")
    log(None, "import", county=county, target=f"{county.name} {DEMO_YEAR} 年学校数据表", note="示例数据")
    first = schools[0][0]
    where = {"school": first.school_id, "county": county.code, "township": first.township.code,
             "city": county.parent.code}
    made = []
    for username, role, level, name in DEMO_ACCOUNTS:
        code = where.get(level) if level else None
        create_user(username, password, role, area_code=code if level != "school" else None,
                    school_id=code if level == "school" else None, full_name=name, check_password=False)
        made.append((username, roles.ROLE_NAMES[role], first.name if level == "school" else
                     (None if level is None else {"county": county.name, "township": first.township.name,
                                                  "city": county.parent.name}[level]) or "全部"))
    snap = freeze(county, DEMO_YEAR, User.objects.get(username="county"), "示例快照")
    if ledgers:
        from junheng.web.ledgers.demo import load_ledger_demo

        load_ledger_demo(county, snap, User.objects.get(username="county"))
    return made, password
