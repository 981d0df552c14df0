"""`junheng admin create-user` and the help of `junheng serve` (Chinese, like the other commands)."""
from __future__ import annotations

import os
import subprocess
import sys

from typer.testing import CliRunner

from junheng.cli import app


def test_serve_help_is_chinese():
    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0 and "--demo" in r.output and "示例县" in r.output


def test_create_user_makes_a_superuser(tmp_path):
    env = {**os.environ, "JUNHENG_PASSWORD": "a-long-Passw0rd!", "DJANGO_SETTINGS_MODULE": "junheng.web.settings"}
    env.pop("JUNHENG_DATABASE_URL", None)  # this test is about the data folder's SQLite database
    cmd = [sys.executable, "-c", "from junheng.cli import main; main()", "admin", "create-user", "boss",
           "--data", str(tmp_path)]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "已创建账号 boss" in r.stderr and (tmp_path / "junheng.sqlite3").exists()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert r.returncode == 1 and "已存在" in r.stderr
    bad = subprocess.run(cmd[:-3] + ["x", "--role", "county_admin", "--area", "999999", "--data", str(tmp_path)],
                         env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "县级管理员须指定" in bad.stderr


def test_serve_demo_answers_and_stops_on_sigterm(tmp_path):
    """`junheng serve --demo` end to end: migrations, demo accounts printed, the login page and the
    style sheet served, then a service stop (SIGTERM) ends it and its worker thread."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("JUNHENG_DATABASE_URL", "JUNHENG_JOBS_IMMEDIATE")}
    env["DJANGO_SETTINGS_MODULE"] = "junheng.web.settings"
    log = tmp_path / "serve.log"
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-c", "from junheng.cli import main; main()", "serve", "--demo",
                                 "--data", str(tmp_path / "data"), "--port", str(port)],
                                env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        page = None
        for _ in range(120):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert page is not None and "登录" in page, log.read_text()
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/junheng/site.css", timeout=5)
        assert css.status == 200
        text = log.read_text()
        assert "county" in text and "县级管理员" in text and "密码均为" in text
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError("junheng serve did not stop on SIGTERM")
