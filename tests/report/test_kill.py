"""kill -9 of ``report --jobs 2``: no worker survives, nothing half-written is published, and the
next run leaves no temporary file (issue 7, items 5 and 11). Linux only (/proc), like CI."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from junheng.report.files import STAGE_PREFIX
from junheng.sample import generate, write_school_table


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, state) of a process, None when it no longer exists."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return int(fields[1]), fields[0]


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            st = _stat(int(d.name))
            if st is not None and st[0] == pid and st[1] != "Z":
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[1] != "Z"  # a zombie has exited; only its entry waits to be reaped


def _wait(cond, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _start_and_signal(tmp_path, sig):
    """Start ``report --jobs 2`` on a 4-county table, send ``sig`` while two workers are writing,
    wait until every worker is gone. Returns (command, output folder, the run's exit status)."""
    src = write_school_table(generate(schools=200, counties=4, seed=7), tmp_path / "全市.xlsx")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "junheng.cli", "report", str(src), "--jobs", "2", "-o", str(out)]
    parent = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def busy():
            kids = _children(parent.pid)
            stages = list(out.glob(STAGE_PREFIX + "*")) if out.is_dir() else []
            written = [f for s in stages for f in s.iterdir()] if stages else []
            return kids if len(kids) >= 2 and written else None  # workers running, a file half-way

        kids = _wait(busy, 180, "two workers writing")
        parent.send_signal(sig)
        code = parent.wait(60)
        _wait(lambda: not any(_alive(k) for k in kids), 5, f"workers {kids} to die with their parent")
    finally:
        if parent.poll() is None:
            parent.kill()
    return cmd, out, code


def test_kill_9_report_jobs_2(tmp_path):
    cmd, out, code = _start_and_signal(tmp_path, signal.SIGKILL)
    assert code == -signal.SIGKILL
    # all-or-nothing: only the staging folder of the killed run, no published report file
    left = list(out.iterdir())
    assert left and all(p.name.startswith(STAGE_PREFIX) for p in left), left

    r = subprocess.run([*cmd[:-4], "--jobs", "1", "-o", str(out), "--formats", "html"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    # per county the page and its 说明 (the fields to fill in by hand)
    assert len(names) == 8, names
    assert sum(n.endswith("_自评报告.html") for n in names) == 4 and sum(n.endswith("_说明.txt") for n in names) == 4


def test_sigterm_stops_cleanly(tmp_path):
    """SIGTERM: the run stops (exit 130, 已中断), workers end, and nothing at all is left."""
    cmd, out, code = _start_and_signal(tmp_path, signal.SIGTERM)
    assert code == 130
    assert list(out.iterdir()) == []


def test_worker_initializer_leaves_with_its_parent():
    """die_with_parent in a grandchild: killing the child (its parent) ends it at once."""
    code = ("import os, sys, time, subprocess;"
            "p = subprocess.Popen([sys.executable, '-c', "
            "'import os, time; from junheng.report.workers import die_with_parent; "
            "die_with_parent(os.getppid()); print(os.getpid(), flush=True); time.sleep(60)'],"
            " stdout=subprocess.PIPE, text=True);"
            "print(p.stdout.readline().strip(), flush=True); time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        grandchild = int(child.stdout.readline())
        assert _alive(grandchild)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        _wait(lambda: not _alive(grandchild), 3, "the grandchild to die")
    finally:
        if child.poll() is None:
            child.kill()


def test_a_killed_worker_is_a_chinese_message_not_broken_process_pool(tmp_path, monkeypatch, capsys):
    """A worker ended by the OOM killer or kill -9 broke the pool: exit 3 with 'BrokenProcessPool: A
    process in the process pool was terminated abruptly …'. Now the pool says it in Chinese and the
    CLI exits 3 with that message; nothing is written (the staging folder is removed)."""
    import functools

    import pytest

    from junheng.errors import WorkerLost
    from junheng.report.workers import worker_pool

    with pytest.raises(WorkerLost) as info:
        with worker_pool(1) as pool:
            pool.submit(functools.partial(os._exit, 9)).result()
    assert "并行计算进程意外终止" in str(info.value) and "--jobs 1" in str(info.value)

    from junheng import cli
    from junheng.report import bundle

    def lost(*a, **k):
        raise WorkerLost()

    monkeypatch.setattr(bundle, "write_reports", lost)   # imported by the command when it runs
    src = write_school_table(generate(schools=30, counties=2, seed=3), tmp_path / "t.csv")
    monkeypatch.setattr(sys, "argv", ["junheng", "report", str(src), "-o", str(tmp_path / "out"), "--jobs", "2"])
    with pytest.raises(SystemExit) as code:
        cli.main()
    err = capsys.readouterr().err
    assert code.value.code == 3 and "并行计算进程意外终止" in err and "Broken" not in err, err
