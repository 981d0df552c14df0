"""The demo content of the ledgers (``junheng serve --demo``) loads and shows on the pages."""
from __future__ import annotations

import pytest

from junheng.web.areas.models import Area
from junheng.web.ledgers.models import Child, Digest, RectItem
from junheng.web.snapshots.models import Snapshot

pytestmark = pytest.mark.django_db


def test_ledger_demo(login):
    from django.contrib.auth import get_user_model

    from junheng.web.ledgers.demo import load_ledger_demo

    county = Area.objects.get(code="529901")
    load_ledger_demo(county, Snapshot.objects.filter(county=county).order_by("pk").first(),
                     get_user_model().objects.get(username="county"))
    assert RectItem.objects.filter(source="assessment").exists() and RectItem.objects.filter(source="inspection").count() == 3
    assert any(i.overdue for i in RectItem.objects.all())
    assert Child.objects.filter(state=Child.SUSPECTED).count() == 2 and Digest.objects.count() == 1
    c = login("county")
    for url in (f"/ledgers/counties/{county.pk}/rectification/", f"/ledgers/counties/{county.pk}/dropout/",
                f"/ledgers/counties/{county.pk}/digests/"):
        assert c.get(url).status_code == 200, url
    assert "逾期" in c.get(f"/ledgers/counties/{county.pk}/rectification/").content.decode()
