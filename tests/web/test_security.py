"""Security basics: Argon2, login throttling, CSRF, sessions, `check --deploy` under production settings."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_argon2_is_the_first_hasher():
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django.utils.module_loading import import_string

    assert issubclass(import_string(settings.PRODUCTION_HASHERS[0]), Argon2PasswordHasher)


def test_argon2_hashes_a_password_with_the_owasp_parameters(settings):
    from django.contrib.auth.hashers import check_password, make_password

    settings.PASSWORD_HASHERS = settings.PRODUCTION_HASHERS
    encoded = make_password("x" * 12)
    # OWASP Password Storage Cheat Sheet: argon2id, m=19456 KiB, t=2, p=1
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$") and check_password("x" * 12, encoded)
    assert not check_password("y" * 12, encoded)


def test_an_old_argon2_hash_is_upgraded_at_login(settings):
    """A password hashed with Django's default Argon2 parameters (m=100 MiB, p=8) still logs in and
    is then stored with the workspace's parameters."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import Argon2PasswordHasher

    settings.PASSWORD_HASHERS = settings.PRODUCTION_HASHERS
    user = get_user_model().objects.get(username="township")
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert "m=102400,t=2,p=8" in user.password
    r = Client().post("/accounts/login/", {"username": "township", "password": PASSWORD})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_login_is_throttled(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "county", "password": "wrong"})
    r = client.post("/accounts/login/", {"username": "county", "password": PASSWORD})
    assert r.status_code == 429 and "登录失败次数过多" in r.content.decode()


def test_login_works_and_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/login/", {"username": "county", "password": PASSWORD}).status_code == 403
    page = client.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    r = client.post("/accounts/login/", {"username": "county", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert r.status_code == 302


def test_session_and_headers(login):
    assert settings.SESSION_COOKIE_AGE <= 4 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    r = login("county").get("/")
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"
    assert "zh-Hans" in r.content.decode()


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "junheng.web.settings_production",
           "JUNHENG_DATA_DIR": str(tmp_path), "JUNHENG_ALLOWED_HOSTS": "junheng.example.cn"}
    env.pop("JUNHENG_DEBUG", None)
    r = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                       env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0   # generated, private


def test_a_worker_imports_the_views_when_it_starts(tmp_path):
    """gunicorn's worker imports junheng.web.wsgi before serving: the views (and polars, the
    importer) are loaded then, not in the first reporter's request."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "junheng.web.settings", "JUNHENG_DATA_DIR": str(tmp_path)}
    code = ("import sys, junheng.web.wsgi; "
            "print(all(m in sys.modules for m in ('junheng.web.collection.views', 'junheng.io.school_table', 'polars')))")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert r.stdout.strip() == "True", r.stdout + r.stderr


def test_no_secret_in_the_repository():
    import junheng.web.settings as s

    assert "SECRET_KEY = \"" not in open(s.__file__, encoding="utf-8").read()


def test_style_sheet_is_served_by_the_application(client):
    from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: F401

    r = client.get("/static/junheng/site.css")
    assert r.status_code == 200 and b"font-family" in b"".join(r.streaming_content)
    page = client.get("/accounts/login/").content.decode()
    assert "//" not in page.replace("http://", "").split("<body", 1)[0].replace("<!DOCTYPE", "")  # no CDN link



def test_database_settings(tmp_path):
    from junheng.web.paths import database

    lite = database(None, tmp_path)
    assert lite["NAME"] == str(tmp_path / "junheng.sqlite3")
    assert lite["OPTIONS"]["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in lite["OPTIONS"]["init_command"]
    pg = database("postgres://u:p@db.example:5433/junheng", tmp_path)
    assert (pg["ENGINE"], pg["HOST"], pg["PORT"], pg["NAME"]) == ("django.db.backends.postgresql", "db.example", 5433, "junheng")
    assert "OPTIONS" not in pg or "transaction_mode" not in pg["OPTIONS"]


def test_admin_names_the_login_throttling_in_chinese(login):
    """系统管理 lists django-axes's records under Chinese names (web/locale/zh_Hans), not “Access attempts”."""
    page = login("admin").get("/admin/").content.decode()
    assert "登录限制" in page and "登录尝试" in page and "登录日志" in page
    assert "Access attempts" not in page and "Access logs" not in page and "Axes" not in page
    from axes.models import AccessAttempt

    assert str(AccessAttempt._meta.get_field("ip_address").verbose_name) == "IP 地址"
