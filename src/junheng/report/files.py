"""All-or-nothing file writes: write beside the target, then rename over it."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the result to ``path`` only if it succeeded.

    The temporary file sits in the target's folder (same file system, so the rename is atomic);
    on any exception it is removed and ``path`` is left untouched. The file gets the usual
    permissions (0666 less the umask), not mkstemp's 0600. Returns the final path.
    Raises OSError (IsADirectoryError when ``path`` is a folder) when it cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"“{path}”是文件夹，请给出文件名")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def current_umask() -> int:
    """The process umask (read without changing it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
