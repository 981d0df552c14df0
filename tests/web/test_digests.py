"""日报/周报 (docs/ledgers.md): counted from the audit log, per county and township; page, Word, text;
the scheduled run makes one per county and township."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from junheng.web.areas.models import Area
from junheng.web.collection import services as wf
from junheng.web.collection.models import SchoolYear
from junheng.web.ledgers.digests.collect import collect, period
from junheng.web.ledgers.digests.render import as_text
from junheng.web.ledgers.digests.services import make, make_all
from junheng.web.ledgers.models import Digest, RectItem
from junheng.web.ledgers.rectification import status as st
from junheng.web.ledgers.rectification.services import create, set_status
from junheng.web.snapshots.services import freeze

pytestmark = pytest.mark.django_db


def _user(name):
    from django.contrib.auth import get_user_model
    return get_user_model().objects.get(username=name)


def test_period():
    end = dt.datetime(2026, 12, 2, 10, tzinfo=dt.timezone.utc)
    assert period("daily", end) == (end - dt.timedelta(days=1), end)
    assert period("weekly", end) == (end - dt.timedelta(days=7), end)


def test_digest_counts_what_changed():
    county = Area.objects.get(code="529901")
    boss = _user("county")
    t0 = timezone.now()  # the demo's own import and snapshot were made earlier in this session
    submitted = list(SchoolYear.objects.filter(school__county=county, status=SchoolYear.SUBMITTED)
                     .select_related("school", "school__county")[:2])
    assert len(submitted) == 2
    wf.approve(submitted[0], boss, submitted[0].version)
    wf.send_back(submitted[1], boss, submitted[1].version, "请核对图书册数")
    freeze(county, 2025, boss, "日报测试")
    late = create(county, boss, problem="校舍维修滞后", owner_unit="县教育体育局", deadline=dt.date(2020, 1, 1))
    done = create(county, boss, problem="图书不足", owner_unit="县教育体育局", deadline=dt.date(2099, 1, 1))
    done = set_status(done, boss, st.AWAITING, done.version)
    set_status(done, boss, st.CLOSED, done.version, "已核验")
    from junheng.web.ledgers.models import Milestone, Project

    p = Project.objects.create(county=county, name="城东小学", owner_unit="县教育体育局", veto=True)
    Milestone.objects.create(project=p, name="主体封顶", due=dt.date(2020, 6, 30))
    Milestone.objects.create(project=p, name="竣工", due=dt.date(2099, 6, 30))
    d = collect(county, None, "daily", t0, timezone.now() + dt.timedelta(seconds=1))
    text = as_text(d.title, d.period, d.sections)
    assert d.title == "均衡示例县义务教育均衡发展工作日报"
    assert f"审核通过 1 次：{submitted[0]}" in text and f"退回 1 次：{submitted[1]}" in text
    assert "请核对图书册数" in text and "冻结快照 1 个" in text
    assert "新增整改事项 2 项" in text and "销号 1 项" in text
    assert "逾期 1 项：县教育体育局“校舍维修滞后”（时限2020年1月1日）" in text
    assert "五、控辍保学" in text and "劝返返校 0 人" in text
    assert "四、攻坚项目" in text and "滞后节点 1 个：城东小学“主体封顶”（2020年6月30日）（一票否决）" in text
    # a period before these events: nothing of them
    old = collect(county, None, "daily", *period("daily", timezone.now() - dt.timedelta(days=3)))
    assert "审核通过" not in as_text(old.title, old.period, old.sections)


def test_township_digest_counts_only_its_schools():
    county = Area.objects.get(code="529901")
    boss = _user("county")
    towns = list(Area.objects.filter(parent=county, level="township"))
    recs = {}
    for r in SchoolYear.objects.filter(school__county=county, status=SchoolYear.SUBMITTED).select_related("school", "school__county"):
        recs.setdefault(r.school.township_id, r)
    town_id, rec = next(iter(recs.items()))
    wf.approve(rec, boss, rec.version)
    here = Area.objects.get(pk=town_id)
    other = next(t for t in towns if t.pk != town_id)
    end = timezone.now() + dt.timedelta(seconds=1)
    mine = as_text(*(lambda d: (d.title, d.period, d.sections))(collect(county, here, "daily", *period("daily", end))))
    theirs = as_text(*(lambda d: (d.title, d.period, d.sections))(collect(county, other, "daily", *period("daily", end))))
    assert str(rec) in mine and str(rec) not in theirs
    assert mine.startswith(f"【{here.name}（均衡示例县）") and "数据快照" not in mine


def test_pages_word_text_and_scope(login):
    county = Area.objects.get(code="529901")
    c = login("county")
    r = c.post(f"/ledgers/counties/{county.pk}/digests/", {"kind": "weekly"})
    dig = Digest.objects.latest("pk")
    assert r.status_code == 302 and dig.kind == "weekly" and dig.created_by.username == "county"
    page = c.get(f"/ledgers/digests/{dig.pk}/").content.decode()
    assert "周报" in page and "<textarea" in page
    txt = c.get(f"/ledgers/digests/{dig.pk}.txt")
    assert txt["Content-Type"].startswith("text/plain") and txt.content.decode().startswith("【均衡示例县")
    doc = Document(io.BytesIO(c.get(f"/ledgers/digests/{dig.pk}.docx").content))
    assert any("整改台账" in p.text for p in doc.paragraphs)
    # the township viewer reads their township's digests only; reporters none; viewers cannot make one
    t = login("township")
    town = t.get("/").context["who"].area
    assert t.get(f"/ledgers/digests/{dig.pk}/").status_code == 404
    mine = make(county, town, "daily")
    assert t.get(f"/ledgers/digests/{mine.pk}/").status_code == 200
    assert t.post(f"/ledgers/counties/{county.pk}/digests/", {"kind": "daily"}).status_code == 403
    assert login("school").get(f"/ledgers/digests/{mine.pk}/").status_code == 404


def test_scheduled_run_makes_one_per_county_and_township():
    before = Digest.objects.count()
    n = make_all("daily")
    counties = Area.objects.filter(level="county").count()
    townships = Area.objects.filter(level="township", parent__level="county").count()
    assert n == counties + townships == Digest.objects.count() - before
    assert not Digest.objects.filter(created_by__isnull=False).exists()
    from junheng.web.ledgers import tasks
    # huey periodic tasks, crontabs in UTC: 日报 10:00 UTC = 18:00 Beijing; 周报 Fridays 09:00 UTC
    daily, weekly = tasks.daily_digests.task_class(), tasks.weekly_digests.task_class()
    assert daily.validate_datetime(dt.datetime(2026, 12, 2, 10, 0)) and not daily.validate_datetime(dt.datetime(2026, 12, 2, 18, 0))
    assert weekly.validate_datetime(dt.datetime(2026, 12, 4, 9, 0))  # a Friday
    assert not weekly.validate_datetime(dt.datetime(2026, 12, 3, 9, 0))
