"""`junheng serve --demo` as a child process for the tests that need a real server (its own data
folder and SQLite database, whatever JUNHENG_DATABASE_URL says; the embedded report worker)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_demo(folder: Path, *args: str) -> tuple[subprocess.Popen, str, Path]:
    """Start the demo server with its data in ``folder/data`` and its output in ``folder/serve.log``:
    (process, base URL, log path); returns once the login page answers (or the process ended)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("JUNHENG_DATABASE_URL", "JUNHENG_JOBS_IMMEDIATE")}
    env["DJANGO_SETTINGS_MODULE"] = "junheng.web.settings"
    log = folder / "serve.log"
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-c", "from junheng.cli import main; main()", "serve", "--demo",
                                 "--data", str(folder / "data"), "--port", str(port), *args],
                                env=env, stdout=fh, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    return proc, base, log


def stop(proc: subprocess.Popen, timeout: float = 20) -> bool:
    """Stop the server by SIGTERM (a service stop); True when it ended by itself, else it is killed."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False
