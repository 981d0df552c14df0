"""Fixtures of the web tests: the demo county (loaded once into the test database) and a second
county ``其他县`` with its own school, record and snapshot, whose ids the scope walk guesses."""
from __future__ import annotations

import pytest

PASSWORD = "demo-password-123"
OTHER_COUNTY = "439901"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from junheng.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo(password=PASSWORD, ledgers=False)  # ledger tests make their own (test_ledger_demo.py)
        _other_county()


def _other_county():
    from django.contrib.auth import get_user_model

    from junheng.io import read_school_table
    from junheng.sample import SAMPLE_XLSX
    from junheng.web.accounts import create_user
    from junheng.web.areas.loading import county_area, upsert_school
    from junheng.web.collection.models import SchoolYear
    from junheng.web.collection.table import row_data
    from junheng.web.snapshots.models import ReportJob
    from junheng.web.snapshots.services import freeze

    table = read_school_table(SAMPLE_XLSX).table
    county = county_area(OTHER_COUNTY, "其他县")
    for i in range(5):
        data = {**row_data(table, i), "county_code": OTHER_COUNTY, "county": "其他县",
                "school_id": f"43990000{i:02d}", "name": f"其他县学校{i}"}
        school, _ = upsert_school(county, data)
        SchoolYear.objects.create(school=school, year=2025, data=data, status=SchoolYear.APPROVED)
    create_user("other_county", PASSWORD, "county_admin", area_code=OTHER_COUNTY, check_password=False)
    snap = freeze(county, 2025, get_user_model().objects.get(username="other_county"))
    ReportJob.objects.create(snapshot=snap, pack="basic-2012", status=ReportJob.DONE, file="files/reports/x.zip")


@pytest.fixture
def login(client):
    """``login(username)`` signs the test client in as that demo account and returns it."""
    from django.contrib.auth import get_user_model

    def go(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client
    return go
