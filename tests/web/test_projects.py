"""攻坚作战一览表 (docs/ledgers.md): late milestones on dates, the board's flags, who may write."""
from __future__ import annotations

import datetime as dt

import pytest

from junheng.web.areas.models import Area
from junheng.web.audit.models import AuditEntry
from junheng.web.ledgers.models import Milestone, Project
from junheng.web.ledgers.projects.rules import milestone_late, project_late

D = dt.date


@pytest.mark.parametrize("due,done,today,late", [
    (D(2026, 6, 30), None, D(2026, 6, 30), False), (D(2026, 6, 30), None, D(2026, 7, 1), True),
    (D(2026, 6, 30), D(2026, 6, 30), D(2027, 1, 1), False), (D(2026, 6, 30), D(2026, 7, 2), D(2026, 7, 3), True),
])
def test_milestone_late(due, done, today, late):
    assert milestone_late(due, done, today) is late


def test_project_late_only_for_open_milestones():
    today = D(2026, 12, 1)
    assert project_late([(D(2026, 11, 1), None), (D(2027, 1, 1), None)], today)
    assert not project_late([(D(2026, 11, 1), D(2026, 11, 20)), (D(2027, 1, 1), None)], today)  # done late: not open
    assert not project_late([], today)


@pytest.mark.django_db
def test_board(login):
    county = Area.objects.get(code="529901")
    c = login("county")
    r = c.post(f"/ledgers/counties/{county.pk}/projects/", {"name": "城东小学新建工程", "kind": "new_school",
                                                            "owner_unit": "县教育体育局", "budget_wan": "3200.5", "veto": "1"})
    p = Project.objects.get(name="城东小学新建工程")
    assert r.status_code == 302 and p.veto and str(p.budget_wan) == "3200.50"
    c.post(f"/ledgers/projects/{p.pk}/", {"act": "milestone", "name": "主体封顶", "due": "2020-06-30"})
    c.post(f"/ledgers/projects/{p.pk}/", {"act": "milestone", "name": "竣工验收", "due": "2099-08-31"})
    c.post(f"/ledgers/projects/{p.pk}/", {"act": "progress", "progress": "45"})
    board = c.get(f"/ledgers/counties/{county.pk}/projects/").content.decode()
    assert "一票否决" in board and "节点滞后 1" in board and 'class="overdue"' in board and "45%" in board
    m = Milestone.objects.get(name="主体封顶")
    c.post(f"/ledgers/projects/{p.pk}/", {"act": "done", "milestone": m.pk, "done_on": "2020-07-15"})
    board = c.get(f"/ledgers/counties/{county.pk}/projects/").content.decode()
    assert "节点滞后" not in board and "延期完成" in c.get(f"/ledgers/projects/{p.pk}/").content.decode()
    assert AuditEntry.objects.filter(target=str(p), action="proj_edit").count() == 4
    # read only for the inspector and the township
    for who in ("inspector", "township", "reviewer"):
        cl = login(who)
        status = cl.post(f"/ledgers/projects/{p.pk}/", {"act": "progress", "progress": "99"}).status_code
        assert status in (403, 404) if who != "reviewer" else status == 302, who
    p.refresh_from_db()
    assert p.progress == 99  # the county reviewer is county staff
    assert login("inspector").get(f"/ledgers/projects/{p.pk}/").status_code == 200


@pytest.mark.django_db
def test_bad_numbers_are_refused(login):
    county = Area.objects.get(code="529901")
    c = login("county")
    for budget in ("-1", "1e12", "NaN", "abc"):
        r = c.post(f"/ledgers/counties/{county.pk}/projects/", {"name": "x", "owner_unit": "y", "budget_wan": budget})
        assert r.status_code == 200 and "投资（万元）" in r.content.decode(), budget
    assert not Project.objects.exists()
    r = c.post(f"/ledgers/counties/{county.pk}/dropout/settings/", {"limit": "99999"}, follow=True)
    assert "1 至 365" in r.content.decode()
