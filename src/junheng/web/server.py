"""What ``junheng serve`` and ``junheng admin`` do: point Django at the data folder, migrate, run.

:func:`setup` must run before anything imports Django models (it sets ``JUNHENG_DATA_DIR`` and
``DJANGO_SETTINGS_MODULE`` and calls ``django.setup()``).
"""
from __future__ import annotations

import os
import signal
from pathlib import Path


def setup(data: Path | None) -> Path:
    """Configure Django for the data folder ``data`` (None: the default, see web/paths.py) and
    apply the migrations. Returns the data folder."""
    if data is not None:
        os.environ["JUNHENG_DATA_DIR"] = str(Path(data).expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    return Path(settings.DATA_DIR)


#: Request threads of ``junheng serve`` (waitress). Four, waitress's default, for a 2-core county server
#: with one SQLite file: a request's Python code runs under the interpreter's lock (GIL) and its writes
#: under SQLite's single write lock, so more threads add waiters, not work done (Argon2 and SQLite release
#: the GIL, which is why there are more threads than cores); the connections themselves (up to
#: :data:`CONNECTIONS`) are kept by waitress's main thread, not by a thread each as in Django's runserver.
THREADS = 4
CONNECTIONS = 1000
#: Connections waiting to be accepted. Django's runserver listened with 10: of 200 people opening the
#: login page at once most were dropped by the kernel and retried by their TCP after 1, 3, 7 … 63 s.
BACKLOG = 1024


def run(host: str, port: int, worker: bool = True) -> None:
    """Serve on ``host:port`` with waitress (a pure-Python production WSGI server, Linux and Windows;
    :data:`THREADS` request threads, static files by whitenoise) until Ctrl-C or a service stop; for
    a large deployment use gunicorn behind a proxy (docs/web.md).

    worker: also consume the job queue (report generation) in a thread of this process; without
    it, run ``python -m junheng.web run_huey`` separately."""
    import io

    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    call_command("check", stdout=io.StringIO())  # Django's system checks: SystemCheckError on an error
    application = get_wsgi_application()
    consumer = None
    if worker:
        from huey.contrib.djhuey import HUEY

        consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=False)
        # the consumer takes over SIGINT/SIGTERM/SIGHUP for a loop this process does not run:
        # keep ours (Ctrl-C and a service stop end the server, then the worker below)
        kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s}
        consumer.start()
        for s, handler in kept.items():
            signal.signal(s, handler)
    try:
        server = create_server(application, host=host, port=port, threads=THREADS, backlog=BACKLOG,
                               connection_limit=CONNECTIONS, asyncore_use_poll=True,  # poll(): select() on Windows
                               ident="junheng")
        server.run()  # until Ctrl-C (closes the server) or SIGTERM (ends the process)
    finally:
        if consumer is not None:
            consumer.stop(graceful=False)
