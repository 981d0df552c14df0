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
    assert bad.returncode == 1 and "区域代码 999999 尚未建立" in bad.stderr


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


def _junheng(*args, env):
    return subprocess.run([sys.executable, "-c", "from junheng.cli import main; main()", *args],
                          env=env, capture_output=True, text=True)


def test_first_start_from_an_empty_data_folder(tmp_path):
    """docs/web.md's first-start sequence: a system administrator, the first school table through
    `junheng admin import` (areas and schools created, all or nothing), then county and school accounts."""
    import openpyxl

    from junheng.sample import SAMPLE_XLSX

    env = {**os.environ, "JUNHENG_PASSWORD": "a-long-Passw0rd!", "DJANGO_SETTINGS_MODULE": "junheng.web.settings"}
    env.pop("JUNHENG_DATABASE_URL", None)
    data = ["--data", str(tmp_path / "d")]
    assert _junheng("admin", "create-user", "管理员", "--role", "sysadmin", *data, env=env).returncode == 0
    early = _junheng("admin", "create-user", "审核员", "--role", "county_reviewer", "--area", "529901", *data, env=env)
    assert early.returncode == 1 and "区域代码 529901 尚未建立" in early.stderr and "junheng admin import" in early.stderr
    # a table with one bad cell: refused with the place named, nothing created
    wb = openpyxl.load_workbook(SAMPLE_XLSX)
    ws = wb.active
    cell = next(c for c in ws[5] if isinstance(c.value, int) and c.column > 8)
    cell.value = "很多"
    bad = tmp_path / "坏表.xlsx"
    wb.save(bad)
    r = _junheng("admin", "import", str(bad), "--year", "2025", *data, env=env)
    assert r.returncode == 1 and "未导入任何数据" in r.stderr and f"第 5 行" in r.stderr and f"({cell.column_letter}列)" in r.stderr, r.stderr
    assert _junheng("admin", "create-user", "审核员", "--role", "county_reviewer", "--area", "529901",
                    *data, env=env).returncode == 1
    r = _junheng("admin", "import", str(SAMPLE_XLSX), "--year", "2025", *data, env=env)
    assert r.returncode == 0 and "新增 106" in r.stderr, r.stderr
    for args in (["审核员", "--role", "county_reviewer", "--area", "529901"],
                 ["一小", "--role", "reporter", "--school", "2152000001"]):
        r = _junheng("admin", "create-user", *args, *data, env=env)
        assert r.returncode == 0, r.stderr
    r = _junheng("admin", "import", str(SAMPLE_XLSX), "--year", "2025", *data, env=env)
    assert r.returncode == 0 and "新增 0" in r.stderr and "未变 106" in r.stderr


def test_short_password_is_refused_in_chinese(tmp_path):
    env = {**os.environ, "JUNHENG_PASSWORD": "abc", "DJANGO_SETTINGS_MODULE": "junheng.web.settings"}
    env.pop("JUNHENG_DATABASE_URL", None)
    r = _junheng("admin", "create-user", "x", "--data", str(tmp_path), env=env)
    assert r.returncode == 1 and "密码太短，至少要有 10 个字符" in r.stderr
    assert "This password" not in r.stderr and not any("a" <= ch <= "z" for ch in r.stderr.split("：", 2)[-1])


def _doc_commands(text: str) -> list[tuple[list[str], str]]:
    """(command words, option) of every ``junheng …`` command and `junheng …` mention in ``text``."""
    import re
    import shlex

    found = []
    lines = [ln.split("#")[0] for ln in text.splitlines() if ln.startswith("junheng ")]
    lines += re.findall(r"`(junheng [^`]*)`", text)
    for line in lines:
        words = shlex.split(line.replace("…", ""))[1:]
        path = [w for w in words[:2] if not w.startswith("-")]
        for w in words:
            if w.startswith("--"):
                found.append((path, w.split("=")[0]))
    return found


def test_every_option_docs_web_names_exists():
    """docs/web.md (the page a newcomer follows) names only options the command has."""
    from pathlib import Path

    import typer

    root = typer.main.get_command(app)
    text = (Path(__file__).parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    seen = _doc_commands(text)
    assert ("admin", "import") in {tuple(p[:2]) for p, _ in seen} and len(seen) > 10
    for path, option in seen:
        cmd = root
        for word in path:
            if word in getattr(cmd, "commands", {}):
                cmd = cmd.commands[word]
        names = {o for p in cmd.params for o in p.opts}
        assert option in names, f"docs/web.md: junheng {' '.join(path)} 没有选项 {option}"
