"""report/files.py: staging folders, stale clean-up, fsync'd publish, refusing to overwrite inputs."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from junheng.report import files
from junheng.report.files import STAGE_PREFIX, OutputIsInputError, clean_stale, refuse_inputs, stage_dir, write_atomic


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_clean_stale_removes_only_dead_runs_of_this_host(tmp_path):
    host = files._host()
    dead = tmp_path / f"{STAGE_PREFIX}{host}-{_dead_pid()}-abc123"
    (dead / "sub").mkdir(parents=True)
    (dead / "sub" / "half.xlsx").write_bytes(b"PK")
    mine = tmp_path / f"{STAGE_PREFIX}{host}-{os.getpid()}-def456"
    mine.mkdir()
    other_host = tmp_path / f"{STAGE_PREFIX}{'0' * 8 if host != '0' * 8 else '1' * 8}-{_dead_pid()}-x"
    other_host.mkdir()
    user = tmp_path / ".junheng-tmp-notes"  # not our pattern: a user's own folder
    user.mkdir()
    assert clean_stale(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other_host.name, user.name])


def test_write_atomic_cleans_stale_and_leaves_no_staging(tmp_path):
    stale = tmp_path / f"{STAGE_PREFIX}{files._host()}-{_dead_pid()}-zzz"
    stale.mkdir()
    (stale / "结果.xlsx").write_bytes(b"half")
    write_atomic(tmp_path / "结果.txt", lambda p: p.write_text("ok", encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["结果.txt"]
    assert (tmp_path / "结果.txt").read_text(encoding="utf-8") == "ok"


def test_write_atomic_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "a.json"
    target.write_text("old")

    def fail(p):
        p.write_text("new, half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomic(target, fail)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_stage_dir_name_and_fsync(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
    s = stage_dir(tmp_path / "new")
    assert s.parent == tmp_path / "new" and s.name.startswith(f"{STAGE_PREFIX}{files._host()}-{os.getpid()}-")
    (s / "x.html").write_text("x")
    out = files.publish(s, tmp_path / "new")
    assert out == [tmp_path / "new" / "x.html"] and len(synced) == 2  # the file, then the folder


def test_refuse_inputs(tmp_path):
    src = tmp_path / "in.xlsx"
    src.write_bytes(b"data")
    refuse_inputs([tmp_path / "out.xlsx"], [src, None])  # a new file is fine
    os.symlink(src, tmp_path / "link.xlsx")
    for t in (src, tmp_path / "sub" / ".." / "in.xlsx", tmp_path / "link.xlsx"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(OutputIsInputError, match="就是输入文件"):
            refuse_inputs([t], [src])


def test_folder_fsync_not_supported_is_passed_over(tmp_path, monkeypatch):
    import errno

    def fsync(fd):
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            raise OSError(errno.EINVAL, "Invalid argument")  # e.g. a CIFS mount

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(tmp_path / "a.txt", lambda p: p.write_text("ok"))
    assert (tmp_path / "a.txt").read_text() == "ok"


def test_write_atomic_follows_a_link_and_refuses_special_files(tmp_path):
    import errno
    import os

    from junheng.report.files import write_atomic

    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, lambda p: p.write_text("new", encoding="utf-8"))
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(OSError) as e:
        write_atomic(fifo, lambda p: p.write_text("x", encoding="utf-8"))
    assert e.value.errno == errno.EINVAL and "不是普通文件" in e.value.strerror
    assert fifo.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "pipe.json", "real.json"]
