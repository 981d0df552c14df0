"""accounts.py: an account is created whole or not at all; naming a user on a page touches no transaction.

On SQLite every transaction is BEGIN IMMEDIATE (web/paths.py): it takes the database's single
write lock. ``display_name`` (the ``|person`` filter, on the entry form and many other pages) once
carried the ``@transaction.atomic`` meant for ``create_user``: every such page queued for the write
lock behind all saves (BENCHMARKS.md §7), and ``create_user`` could leave a user without its role.
"""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_create_user_is_all_or_nothing(monkeypatch):
    from django.contrib.auth import get_user_model

    from junheng.web.accounts import create_user
    from junheng.web.areas.models import Profile

    def broken(**kw):
        raise RuntimeError("profile table unavailable")

    monkeypatch.setattr(Profile.objects, "create", broken)
    with pytest.raises(RuntimeError):
        create_user("half_made", PASSWORD, "county_admin", area_code="439901", check_password=False)
    assert not get_user_model().objects.filter(username="half_made").exists()


def test_display_name_opens_no_transaction():
    from django.contrib.auth import get_user_model

    from junheng.web.accounts import display_name

    user = get_user_model().objects.get(username="other_county")
    user.first_name = "张三"
    with CaptureQueriesContext(connection) as q:
        assert display_name(user) == "张三"
        user.first_name = ""
        assert display_name(user) == "other_county"
    assert [x["sql"] for x in q.captured_queries] == []
