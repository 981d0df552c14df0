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


@pytest.mark.django_db
def test_board_exports_excel_and_word(login):
    """Hand-made board: two projects, one with a late milestone; the Excel rows and the Word
    report's counts are those of the board; the school's reporter gets only its school's project."""
    import io

    import docx
    import openpyxl

    from junheng.web.areas.models import School
    from junheng.web.ledgers.projects.exports import board_blocks, rows

    county = Area.objects.get(code="529901")
    me = login("school").get("/").context["who"].school
    other = School.objects.filter(county=county).exclude(pk=me.pk).first()
    a = Project.objects.create(county=county, name="城东小学新建工程", kind="new_school", owner_unit="县教育体育局",
                               owner_person="张三", budget_wan="3200.50", veto=True, progress=45)
    Milestone.objects.create(project=a, name="主体封顶", due=D(2020, 6, 30))
    Milestone.objects.create(project=a, name="竣工验收", due=D(2099, 8, 31))
    b = Project.objects.create(county=county, name=f"{me.name}班班通", kind="banbantong", owner_unit=me.name,
                               school=me, budget_wan="12", progress=100)
    Milestone.objects.create(project=b, name="安装", due=D(2020, 1, 10), done_on=D(2020, 1, 20))
    Project.objects.create(county=county, name=f"{other.name}改薄", kind="gaibo", owner_unit=other.name, school=other)
    today = D(2026, 12, 1)
    got = rows(Project.objects.filter(pk__in=[a.pk, b.pk]).order_by("-veto", "pk"), today)
    assert got[0] == ["1", "城东小学新建工程", "新建学校", "县教育体育局", "张三", "3,200.50", "45%", "是",
                      "主体封顶 计划 2020-06-30，未完成（滞后）\n竣工验收 计划 2099-08-31，未到期",
                      "主体封顶（2020-06-30）", "节点滞后 1 个"]
    assert got[1][5:] == ["12.00", "100%", "否", "安装 计划 2020-01-10，2020-01-20 完成（延期）", "", ""]
    para = board_blocks(Project.objects.filter(pk__in=[a.pk, b.pk]), county.name, today)[2].text
    assert "共列项目 2 个（其中一票否决项目 1 个），计划投资 3,212.50 万元；已完成（进度 100%）1 个，有节点滞后的 1 个" in para

    c = login("county")
    r = c.get(f"/ledgers/counties/{county.pk}/projects.xlsx")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert [v[1] for v in values] == ["城东小学新建工程", f"{me.name}班班通", f"{other.name}改薄"]
    assert ws.cell(1, 1).value == f"{county.name}一票否决制攻坚作战一览表"
    r = c.get(f"/ledgers/counties/{county.pk}/projects.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "攻坚项目推进情况" in text and "三、节点滞后项目" in text and "城东小学新建工程（节点滞后 1 个" in text
    assert AuditEntry.objects.filter(action="proj_exp").count() == 2
    # the reporter: its school's project only
    s = login("school")
    ws = openpyxl.load_workbook(io.BytesIO(s.get(f"/ledgers/counties/{county.pk}/projects.xlsx").content)).active
    assert [[c.value for c in row][1] for row in ws.iter_rows(min_row=3)] == [f"{me.name}班班通"]


def _act(sid, name, action, cost_item, item, unit, qty, unit_cost, recurring=False):
    return {"school_id": sid, "name": name, "action": action, "cost_item": cost_item, "item": item, "unit": unit,
            "quantity": qty, "unit_cost_yuan": unit_cost, "amount_yuan": unit_cost * qty, "recurring": recurring}


@pytest.mark.django_db
def test_plan_becomes_projects_and_items_by_hand():
    """A hand-made plan (the planner's action dicts): one project per school and kind, budgets by
    hand (recurring costs × years), one 整改 item per school listing every action."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from junheng.web.areas.models import School
    from junheng.web.ledgers.models import RectItem
    from junheng.web.ledgers.projects.planning import to_ledgers
    from junheng.web.snapshots.models import Snapshot

    county = Area.objects.get(code="529901")
    snap = Snapshot.objects.filter(county=county).first()
    a, b = School.objects.filter(county=county).order_by("school_id")[:2]
    acts = [_act(a.school_id, a.name, "build", "teaching_area_m2", "teaching_area_m2", "㎡", 320, 3000.0),
            _act(a.school_id, a.name, "buy", "equipment_value_yuan", "equipment_value_yuan", "元", 4650, 1.0),
            _act(a.school_id, a.name, "hire", "pe_teachers", "pe_teachers_P", "人", 2, 80000.0, recurring=True),
            _act(b.school_id, b.name, "designate", "designate_backbone_teachers", "backbone_teachers_J", "人", 3,
                 6000.0, recurring=True)]
    plan = SimpleNamespace(years=3, counties=[SimpleNamespace(actions=acts)])
    user = get_user_model().objects.get(username="county")
    assert to_ledgers(snap, "quality-2017", plan, user) == (4, 2)
    got = {(p.school_id, p.kind): (p.name, str(p.budget_wan)) for p in Project.objects.filter(county=county)}
    assert got[(a.pk, "extension")] == (f"{a.name}改扩建（新建教学及辅助用房 320㎡）", "96.00")       # 320 × 3000
    assert got[(a.pk, "equipment")] == (f"{a.name}设备购置（购置教学仪器设备 0.47万元）", "0.47")      # 4650 元
    assert got[(a.pk, "teachers")] == (f"{a.name}教师补充（招聘体育教师（小学） 2人）", "48.00")     # 2 × 8 万 × 3 年
    assert got[(b.pk, "teachers")] == (f"{b.name}教师补充（认定县级骨干教师（初中） 3人）", "5.40")  # 3 × 0.6 万 × 3 年
    item = RectItem.objects.get(source="plan", school=a)
    assert item.problem == f"{a.name}按填平补齐规划（快照 #{snap.pk}，优质均衡）需投入 144.47万元（经常性支出按 3 年计）"
    assert item.measures == "新建教学及辅助用房 320㎡；购置教学仪器设备 0.47万元；招聘体育教师（小学） 2人"
    assert AuditEntry.objects.filter(action="proj_plan").count() == 4


@pytest.mark.django_db
def test_plan_job_from_the_snapshot_page(login):
    """The planner on a small snapshot (8 schools of the demo county), in one step from the web:
    the projects' budgets add up to the plan's total; a second run is refused; read-only roles may
    not start it."""
    from junheng.web.ledgers.models import PlanJob, RectItem
    from junheng.web.ledgers.projects.planning import run_plan
    from junheng.web.snapshots.models import Snapshot

    county = Area.objects.get(code="529901")
    full = Snapshot.objects.filter(county=county).first()
    snap = Snapshot.objects.create(county=county, year=full.year, rows=full.rows[:8], label="小快照")
    for who in ("inspector", "school", "township"):
        assert login(who).post(f"/ledgers/snapshots/{snap.pk}/plan/", {"pack": "quality-2017"}).status_code in (403, 404)
    c = login("reviewer")
    r = c.post(f"/ledgers/snapshots/{snap.pk}/plan/", {"pack": "quality-2017"})
    job = PlanJob.objects.get(snapshot=snap)
    assert r["Location"] == f"/ledgers/plan-jobs/{job.pk}/"
    assert job.status == PlanJob.DONE, job.message
    plan = run_plan(snap, "quality-2017")
    acts = plan.counties[0].actions
    assert job.projects == len({(a["school_id"], {"build": 1, "buy": 2}.get(a["action"], 3)) for a in acts}) > 0
    assert job.items == len({a["school_id"] for a in acts})
    budget = sum(p.budget_wan for p in Project.objects.filter(county=county, created_at__gte=job.created_at))
    assert abs(float(budget) - plan.counties[0].total_yuan / 10_000) <= 0.005 * job.projects
    assert RectItem.objects.filter(source="plan", snapshot=snap).count() == job.items
    page = c.get(f"/ledgers/plan-jobs/{job.pk}/").content.decode()
    assert f"生成攻坚项目 {job.projects} 个、整改事项 {job.items} 项" in page
    r = c.post(f"/ledgers/snapshots/{snap.pk}/plan/", {"pack": "quality-2017"}, follow=True)
    assert f"快照 #{snap.pk} 已按优质均衡生成过规划（任务 #{job.pk}），未重复生成。" in r.content.decode()
    assert PlanJob.objects.filter(snapshot=snap).count() == 1
    assert login("inspector").get(f"/ledgers/plan-jobs/{job.pk}/").status_code == 200   # read only
