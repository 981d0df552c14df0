"""All-or-nothing file writes: write into a private staging folder beside the target, then
rename over it.

Every output of junheng (``assess -o``, ``report``, ``sample``, the templates) goes through here:

- :func:`stage_dir` makes the staging folder ``.junheng-tmp-<host>-<pid>-<random>`` inside the
  target's folder (same file system, so the final ``os.replace`` is atomic); xlsxwriter's own
  temporary files go there too (safe_xlsx.py), so nothing is left in the system temp folder;
- a run killed with ``kill -9`` leaves its staging folder behind; the next run that writes into
  the same folder removes it (:func:`clean_stale`: same host, process no longer running);
- files are fsynced before the rename and the folder after it, so a power cut leaves the old
  file or the new one, never a half-written one;
- :func:`refuse_inputs` refuses to write over an input file (same file by ``os.path.samefile``,
  so hard links, symlinks and other spellings of the path are caught).
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

#: Name prefix of our staging folders (hidden; followed by ``<host>-<pid>-<random>``).
STAGE_PREFIX = ".junheng-tmp-"
#: Outside POSIX (no cheap "is this pid alive" test) a staging folder older than this is stale.
STALE_AFTER_SECONDS = 24 * 3600


class OutputIsInputError(ValueError):
    """An output file would replace one of the input files (Chinese message naming both)."""


def _host() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: alive, another user's
        return True
    return True


def clean_stale(folder: str | Path) -> list[Path]:
    """Remove the staging folders in ``folder`` left by junheng runs that no longer exist (killed,
    power cut): same host and a dead pid (POSIX), or older than STALE_AFTER_SECONDS elsewhere.
    Staging folders of running processes and of other hosts (a shared network folder) are kept.
    Returns the removed paths; errors while removing are ignored (the next run tries again)."""
    folder = Path(folder)
    pattern = re.compile(rf"{re.escape(STAGE_PREFIX)}([0-9a-f]{{8}})-(\d+)-[\w]+")
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for p in entries:
        m = pattern.fullmatch(p.name)
        if not m or m[1] != _host():
            continue
        if os.name == "posix":
            stale = not _pid_alive(int(m[2]))
        else:
            try:
                stale = time.time() - p.stat().st_mtime > STALE_AFTER_SECONDS
            except OSError:
                continue
        if stale:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def stage_dir(folder: str | Path) -> Path:
    """Create (and return) a new private staging folder inside ``folder`` (created if needed),
    after removing stale ones (:func:`clean_stale`). The caller removes it when done.
    Raises NotADirectoryError when ``folder`` is a file, OSError when it cannot be created."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"“{folder}”不是文件夹")
    folder.mkdir(parents=True, exist_ok=True)
    clean_stale(folder)
    return Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{_host()}-{os.getpid()}-", dir=folder))


def fsync_path(path: str | Path) -> None:
    """Flush a file's (or, on POSIX, a folder's) data to disk. Raises OSError (e.g. ENOSPC, EIO).
    A folder whose file system cannot sync folders (some network and FUSE mounts answer EINVAL
    or ENOTSUP) is passed over: the files themselves were synced."""
    is_dir = Path(path).is_dir()
    if is_dir and os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY if is_dir else os.O_RDWR)
    try:
        os.fsync(fd)
    except OSError as e:
        if not (is_dir and e.errno in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES, errno.EPERM)):
            raise
    finally:
        os.close(fd)


def publish(stage: str | Path, out_dir: str | Path) -> list[Path]:
    """Move every file of ``stage`` into ``out_dir`` (fsynced, usual permissions 0666 less the
    umask, replacing files of the same names). Checked first: a name taken by a folder in
    ``out_dir`` raises IsADirectoryError and nothing is moved. Returns the final paths."""
    stage, out_dir = Path(stage), Path(out_dir)
    files = sorted(f for f in stage.iterdir() if f.is_file())
    for f in files:
        if (out_dir / f.name).is_dir():
            raise IsADirectoryError(f"“{out_dir / f.name}”是文件夹，无法写入同名文件")
    mask = current_umask()
    for f in files:
        os.chmod(f, 0o666 & ~mask)
        fsync_path(f)
    out = []
    for f in files:
        os.replace(f, out_dir / f.name)
        out.append(out_dir / f.name)
    fsync_path(out_dir)
    return out


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the result to ``path`` only if it succeeded.

    ``tmp_path`` has the target's name, inside a staging folder in the target's folder
    (:func:`stage_dir`); on any exception (or kill) ``path`` is left untouched and the staging
    folder is removed (now, or by the next run). The file gets the usual permissions (0666 less
    the umask). Returns the final path.
    Raises OSError (IsADirectoryError when ``path`` is a folder, ENOSPC when the disk is full…)
    when it cannot be written.
    """
    path = regular_target(path)
    stage = stage_dir(path.parent)
    try:
        write(stage / path.name)
        tmp = stage / path.name
        os.chmod(tmp, 0o666 & ~current_umask())
        fsync_path(tmp)
        os.replace(tmp, path)
        fsync_path(path.parent)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return path


def regular_target(path: str | Path) -> Path:
    """The file a write to ``path`` must replace: a symbolic link is followed (the link stays, its
    target gets the new content); a folder, device, named pipe or socket is refused.

    Raises IsADirectoryError for a folder and OSError (EINVAL, Chinese reason) for anything that
    exists and is not a regular file: renaming over ``/dev/null`` or a FIFO would replace it.
    """
    path = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"“{path}”是文件夹，请给出文件名")
    if path.exists() and not path.is_file():
        raise OSError(errno.EINVAL, "不是普通文件（设备、管道或套接字），未写入", str(path))
    return path


def refuse_inputs(targets: Iterable[str | Path], inputs: Iterable[str | Path | None]) -> None:
    """Raise OutputIsInputError when a target is one of the inputs (``os.path.samefile``; a target
    that does not exist yet cannot be an input). Call before writing anything."""
    existing = [Path(i) for i in inputs if i is not None and Path(i).exists()]
    for t in targets:
        t = Path(t)
        if not t.exists():
            continue
        for i in existing:
            try:
                same = os.path.samefile(t, i)
            except OSError:
                same = False
            if same:
                raise OutputIsInputError(f"输出文件“{t}”就是输入文件“{i}”，为避免覆盖原始数据，未写入任何文件；"
                                         "请换一个输出文件名或输出文件夹")


def current_umask() -> int:
    """The process umask (read without changing it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
