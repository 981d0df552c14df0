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
    import urllib.request

    from .serving import start_demo, stop

    proc, base, log = start_demo(tmp_path)
    try:
        page = urllib.request.urlopen(f"{base}/accounts/login/", timeout=5).read().decode()
        assert "登录" in page, log.read_text()
        css = urllib.request.urlopen(f"{base}/static/junheng/site.css", timeout=5)
        assert css.status == 200
        text = log.read_text()
        assert "county" in text and "县级管理员" in text and "密码均为" in text
    finally:
        if not stop(proc):
            raise AssertionError("junheng serve did not stop on SIGTERM")


def test_serve_queues_200_connections_opened_at_once(tmp_path):
    """200 reporters opening the page at the same moment are all queued, none dropped.

    Django's runserver listened with a queue of 10: while its process was busy, the kernel dropped
    further connection attempts and each browser's TCP retried after 1, 3, 7 … 63 s (the 110 s login
    phase of BENCHMARKS.md §7). The server is stopped (SIGSTOP) so that it accepts nothing; the kernel
    must still complete all 200 handshakes into the listen queue."""
    import signal
    import socket
    from urllib.parse import urlsplit

    from .serving import start_demo, stop

    proc, base, log = start_demo(tmp_path, "--no-worker")
    port = urlsplit(base).port
    socks, queued = [], 0
    proc.send_signal(signal.SIGSTOP)
    try:
        for _ in range(200):
            s = socket.socket()
            socks.append(s)
            s.settimeout(0.5)
            try:
                s.connect(("127.0.0.1", port))
            except TimeoutError:  # the queue is full: the kernel dropped the SYN
                break
            queued += 1
    finally:
        proc.send_signal(signal.SIGCONT)
        for s in socks:
            s.close()
        stop(proc)
    assert queued == 200
