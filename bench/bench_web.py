"""Benchmark 5: 200 school reporters logging in and submitting their forms at once (issue 10 item 10).

What is measured: a real server on 127.0.0.1 — on PostgreSQL gunicorn with several workers
(``gunicorn junheng.web.wsgi:application --workers W --threads T --timeout 120``), on SQLite the embedded server
of ``junheng serve`` — and :data:`REPORTERS` simulated reporters (asyncio + aiohttp, one cookie jar
each) started together. Each reporter, as a person in the browser does:

1. ``GET /accounts/login/`` and ``POST`` the login form (CSRF token, Argon2 password check);
2. ``GET /records/<id>/edit/`` (the entry form of the school's draft record);
3. ``POST`` the form with every field as shown and 图书 changed (the importer's validation,
   optimistic locking, one audit entry for the changed field);
4. ``GET /records/<id>/`` (where the save redirects) and ``POST …/submit/`` with its version.

The forms (steps 2–4) start when every reporter has logged in (an asyncio barrier), so the two
phases are timed apart. Between steps each reporter waits a think time drawn uniformly from ``[0, 2 × think]``;
each think time given is a run of its own (default :data:`THINK_TIMES`: 0, everyone clicks at once, the
burst; and 5 s, a person reading the form and typing, still 200 people within a minute).
Every request goes on a new connection (``force_close``): the servers close a kept-alive connection after
a short idle time (gunicorn ``--keep-alive`` 2 s), and a POST written onto a connection the server is
closing fails with ``ServerDisconnectedError`` — the client cannot tell whether it was received, so
it must not resend it; a browser would open a new connection after such a pause anyway. On loopback a
connection costs about 0.1 ms. Latency is the wall time of each request as the client sees it;
throughput is requests per second over the whole run. The goal (p95 < 300 ms on PostgreSQL) is on
the form requests (steps 2–4); the login requests are reported apart (their cost is Argon2's, on
purpose, docs/web.md "安全").

Afterwards (not timed) the database is checked: every record submitted with the new 图书 value,
and the audit log has for every record exactly one entry for the changed field (old → new) and
one ``submit``.

Setup (not timed): a fresh data folder (and, for PostgreSQL, a fresh database
``junheng_bench`` on the server of ``JUNHENG_BENCH_PG_URL``, default
``postgres://postgres@127.0.0.1:5432/postgres``, dropped afterwards); migrations; a county of
``generate(schools=REPORTERS, counties=1, seed=5)``, each school with a draft record and its
reporter account.

Afterwards the server's own output is searched for errors (tracebacks, gunicorn's worker timeouts):
``server_errors`` in the result, which must be empty. Also reported: the CPU time of the web server's
processes over the run per request (``ps``; PostgreSQL's own processes not included) — less moved by
other load on the machine than the latencies — the load average at the end, and the connections the
kernel dropped at a full listen queue during the run (``listen_overflows``, Linux).

Run alone: ``python bench/bench_web.py [--db sqlite|postgres|both] [--reporters N] [--think S …]``
(needs ``pip install -e '.[bench,prod]'``); ``bench/run.py`` runs it with the others.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from common import ROOT, log  # noqa: E402

REPORTERS = 200
PASSWORD = "bench-password-2025"
GOAL_P95_MS = 300.0
WORKERS, THREADS = 4, 4
THINK_TIMES = (0.0, 5.0)
_SERVER_ERROR = re.compile(r"Traceback|\[ERROR\]|\[CRITICAL\]|WORKER TIMEOUT|Error handling request|database is locked")
PG_URL = os.environ.get("JUNHENG_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "junheng_bench"
YEAR = 2025
_INPUT = re.compile(r'<input type="(?:text|hidden)" name="([^"]+)" value="([^"]*)"')


# ---- setup and checks, run with Django in a child process (--django STEP) -------------------------

def _django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
    import django

    django.setup()


def _prepare(n: int) -> dict:
    """Migrate; a county of ``n`` schools, each with a draft record and a reporter: {username: record id}."""
    _django_setup()
    from django.core.management import call_command

    from junheng.io import read_school_table
    from junheng.sample import generate, write_school_table
    from junheng.web.accounts import create_user
    from junheng.web.areas.loading import county_area, upsert_school
    from junheng.web.collection.models import SchoolYear
    from junheng.web.collection.table import row_data

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "county.xlsx"
        write_school_table(generate(schools=n, counties=1, seed=5), path)
        table = read_school_table(path).table
    users = {}
    county = None
    for i in range(table.height):
        data = row_data(table, i)
        county = county or county_area(data["county_code"], data["county"])
        school, _ = upsert_school(county, data)
        rec = SchoolYear.objects.create(school=school, year=YEAR, data=data, status=SchoolYear.DRAFT)
        name = f"r{i:04d}"
        create_user(name, PASSWORD, "reporter", school_id=school.school_id, check_password=False)
        users[name] = {"record": rec.pk, "books": data.get("books")}
    return users


def _check(expected: dict) -> dict:
    """Every record submitted with the new 图书, and its audit entries: {"records_ok", "audit_ok", "problems"}."""
    _django_setup()
    from junheng.web.audit.models import AuditEntry
    from junheng.web.collection.models import SchoolYear

    problems = []
    recs = {r.pk: r for r in SchoolYear.objects.filter(pk__in=[int(k) for k in expected])}
    entries = {}
    for e in AuditEntry.objects.filter(record_id__in=list(recs)):
        entries.setdefault(e.record_id, []).append(e)
    records_ok = audit_ok = 0
    for key, books in expected.items():
        r = recs.get(int(key))
        if r is None or r.status != SchoolYear.SUBMITTED or r.data.get("books") != books:
            problems.append(f"record {key}: {None if r is None else (r.status, r.data.get('books'))} != submitted, {books}")
        else:
            records_ok += 1
        mine = entries.get(int(key), [])
        edits = [e for e in mine if e.action == "edit"]
        submits = [e for e in mine if e.action == "submit"]
        if len(edits) == 1 and edits[0].field == "books" and edits[0].new == str(books) and len(submits) == 1:
            audit_ok += 1
        else:
            problems.append(f"audit of record {key}: {[(e.action, e.field, e.old, e.new) for e in mine]}")
    return {"records_ok": records_ok, "audit_ok": audit_ok, "problems": problems[:10]}


def _django_step(step: str, env: dict, arg) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--django", step, json.dumps(arg)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"{step} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---- the server -------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(kind: str, env: dict, port: int, folder: Path) -> subprocess.Popen:
    if kind == "postgres":
        cmd = [sys.executable, "-m", "gunicorn", "junheng.web.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(WORKERS), "--threads", str(THREADS), "--backlog", "2048", "--timeout", "120",
               "--log-level", "warning"]
    else:
        cmd = [sys.executable, "-m", "junheng.cli", "serve", "--data", str(folder), "--port", str(port), "--no-worker"]
    out = (folder / "server.log").open("w")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text()[-3000:])
            time.sleep(0.5)
    _stop(proc)
    raise RuntimeError("server did not answer")


def _cpu_s(proc: subprocess.Popen) -> float:
    """CPU time (user + system, s) used so far by the server's process group (gunicorn's workers too)."""
    out = subprocess.run(["ps", "-o", "times=", "-g", str(proc.pid)], capture_output=True, text=True).stdout
    return float(sum(int(x) for x in out.split()))


def _listen_overflows() -> int | None:
    """Connections the kernel dropped since boot because a listen queue was full (Linux
    ``TcpExtListenOverflows``, machine-wide; None elsewhere). A dropped connection attempt is
    retried by the client's TCP after 1, 3, 7, 15, 31, 63 s …: the multi-second stragglers of a
    server with a short queue (Django's runserver listens with 10)."""
    try:
        head, values = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines()[:2]]
    except (OSError, ValueError):
        return None
    return int(dict(zip(head, values)).get("ListenOverflows", 0))


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (gunicorn's workers too), SIGKILL after 30 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


# ---- the reporters ------------------------------------------------------------------------------------

async def _reporter(base: str, name: str, info: dict, think: float, start: asyncio.Event, times: dict,
                    logged_in: asyncio.Barrier) -> int:
    """One reporter's session; returns the new 图书 value it submitted."""
    import aiohttp

    async def timed(kind: str, method: str, url: str, **kw) -> str:
        t0 = time.perf_counter()
        async with session.request(method, base + url, allow_redirects=False, **kw) as r:
            body = await r.text()
        times.setdefault(kind, []).append(time.perf_counter() - t0)
        if r.status not in (200, 302):
            raise RuntimeError(f"{name} {method} {url}: HTTP {r.status}\n{body[:500]}")
        return body

    async def pause():
        if think:
            await asyncio.sleep(random.uniform(0, 2 * think))

    def csrf() -> str:
        return next(c.value for c in session.cookie_jar if c.key == "csrftoken")

    rec = info["record"]
    connector = aiohttp.TCPConnector(limit=0, force_close=True)  # a new connection per request (module docstring)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     timeout=aiohttp.ClientTimeout(total=300)) as session:
        await start.wait()
        await timed("login page", "GET", "/accounts/login/")
        await timed("login POST", "POST", "/accounts/login/",
                    data={"username": name, "password": PASSWORD, "csrfmiddlewaretoken": csrf()})
        if await logged_in.wait() == 0:  # the last one in: everyone has logged in, the forms start together
            times["forms start"] = [time.perf_counter()]
        await pause()
        form = dict(_INPUT.findall(await timed("form GET", "GET", f"/records/{rec}/edit/")))
        books = int(float(form.get("books") or 0)) + 1 + int(name[1:])
        form.update(books=str(books), csrfmiddlewaretoken=csrf())
        await pause()
        await timed("form POST (save)", "POST", f"/records/{rec}/edit/", data=form)
        page = await timed("record GET", "GET", f"/records/{rec}/")
        version = re.search(r'name="version" value="(\d+)"', page)[1]
        await pause()
        await timed("submit POST", "POST", f"/records/{rec}/submit/",
                    data={"version": version, "csrfmiddlewaretoken": csrf()})
    return books


async def _load(base: str, users: dict, think: float) -> tuple[dict, dict, float]:
    start, times, barrier = asyncio.Event(), {}, asyncio.Barrier(len(users))
    tasks = [asyncio.create_task(_reporter(base, n, i, think, start, times, barrier)) for n, i in users.items()]
    await asyncio.sleep(0.5)  # every session open, waiting
    t0 = time.perf_counter()
    start.set()
    books = await asyncio.gather(*tasks)
    end = time.perf_counter()
    forms_start = times.pop("forms start")[0]
    times["phases"] = [forms_start - t0, end - forms_start]
    return times, {str(users[n]["record"]): b for n, b in zip(users, books)}, end - t0


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * len(xs) + 0.5) - 1))] if xs else float("nan")


def _stats(xs: list[float]) -> dict:
    return {"n": len(xs), "p50_ms": _pct(xs, 0.50) * 1000, "p95_ms": _pct(xs, 0.95) * 1000,
            "max_ms": max(xs) * 1000}


# ---- one run -------------------------------------------------------------------------------------------

def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), autocommit=True) as c:
        c.execute(sql)


def run_one(kind: str, reporters: int = REPORTERS, think: float = 0.0) -> dict:
    with tempfile.TemporaryDirectory(prefix="junheng-bench-web-") as tmp:
        folder = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("JUNHENG_DATABASE_URL", "JUNHENG_JOBS_IMMEDIATE",
                                                                 "DJANGO_SETTINGS_MODULE")}
        env.update(JUNHENG_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="junheng.web.settings")
        if kind == "postgres":
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
            _pg_admin(f"CREATE DATABASE {PG_DB}")
            env["JUNHENG_DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + PG_DB
        try:
            log(f"web/{kind}: preparing {reporters} schools, records and reporter accounts (not timed)")
            users = _django_step("prepare", env, reporters)
            port = _free_port()
            server = _start(kind, env, port, folder)
            try:
                log(f"web/{kind}: {reporters} reporters at once (think time {think:g} s)")
                cpu0, drops0 = _cpu_s(server), _listen_overflows()
                times, expected, wall = asyncio.run(_load(f"http://127.0.0.1:{port}", users, think))
                server_cpu, drops = _cpu_s(server) - cpu0, _listen_overflows()
                drops = None if drops is None else drops - drops0
            finally:
                _stop(server)
                server_errors = [line for line in (folder / "server.log").read_text(errors="replace").splitlines()
                                 if _SERVER_ERROR.search(line)]
            check = _django_step("check", env, expected)
        finally:
            if kind == "postgres":
                _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
    login_phase, form_phase = times.pop("phases")
    forms = [x for k, xs in times.items() if not k.startswith("login") for x in xs]
    logins = [x for k, xs in times.items() if k.startswith("login") for x in xs]
    n = sum(len(xs) for xs in times.values())
    res = {"db": kind, "reporters": reporters, "think_s": think, "requests": n, "wall_s": wall,
           "server_cpu_s": server_cpu, "load_average": os.getloadavg(), "listen_overflows": drops,
           "throughput_rps": n / wall, "login_phase_s": login_phase, "form_phase_s": form_phase,
           "form_throughput_rps": len(forms) / form_phase, "forms": _stats(forms), "logins": _stats(logins),
           "by_request": {k: _stats(xs) for k, xs in times.items()},
           "server": (f"gunicorn --workers {WORKERS} --threads {THREADS}" if kind == "postgres"
                      else f"junheng serve (waitress, {_serve_threads()} threads)"),
           "check": check, "server_errors": server_errors[:10]}
    res["complete"] = check["records_ok"] == reporters and check["audit_ok"] == reporters and not server_errors
    res["goal_pass"] = res["complete"] and (kind != "postgres" or res["forms"]["p95_ms"] < GOAL_P95_MS)
    return res


def _serve_threads() -> int:
    from junheng.web.server import THREADS as serve_threads

    return serve_threads


def run(quick: bool = False, db: str = "both", think: tuple[float, ...] = THINK_TIMES,
        reporters: int = REPORTERS) -> dict:
    """Both databases (``db``: sqlite, postgres or both), a run for each think time (s); ``quick``: 20
    reporters. ``runs`` is keyed ``"<db>, think <s> s"``."""
    n = 20 if quick else reporters
    kinds = ["sqlite", "postgres"] if db == "both" else [db]
    runs = {f"{k}, think {t:g} s": run_one(k, n, t) for k in kinds for t in think}
    goals = {f"{k}: all present, audit complete" + (f", form p95 < {GOAL_P95_MS:g} ms" if r["db"] == "postgres" else ""):
             {"goal": f"p95 < {GOAL_P95_MS:g} ms" if r["db"] == "postgres" else "complete", "pass": r["goal_pass"]}
             for k, r in runs.items()}
    return {"runs": runs, "goals": goals}


def rows(w: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Summary rows for bench/run.py."""
    out = []
    for k, r in w["runs"].items():
        out.append((f"web: {r['reporters']} reporters log in and submit, {k} ({r['server']})",
                    f"form p95 {r['forms']['p95_ms']:.0f} ms", f"login p95 {r['logins']['p95_ms']:.0f} ms",
                    f"forms {r['form_throughput_rps']:.0f} req/s",
                    f"p95 < {GOAL_P95_MS:g} ms" if r["db"] == "postgres" else "complete",
                    "PASS" if r["goal_pass"] else "FAIL"))
    return out


def section(w: dict) -> list[str]:
    """The section of BENCHMARKS.md."""
    lines = ["## 7. The workspace under load (`bench/bench_web.py`)", "",
             "Reporters started together against the server on 127.0.0.1, each: login page, login, entry form, "
             "save (every field, 图书 changed), record page, submit. Latency as the client sees it.", "",
             "| database | server | reporters | think time | login phase | form phase | form throughput | "
             "form p50 / p95 / max | login p50 / p95 / max | server CPU per request | load average | submissions present | "
             "audit complete | server errors | listen-queue drops |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for k, r in w["runs"].items():
        f, g, c = r["forms"], r["logins"], r["check"]
        lines.append(f"| {r['db']} | {r['server']} | {r['reporters']} | {r['think_s']:g} s | {r['login_phase_s']:.1f} s | "
                     f"{r['form_phase_s']:.1f} s | {r['form_throughput_rps']:.0f} req/s | "
                     f"{f['p50_ms']:.0f} / {f['p95_ms']:.0f} / {f['max_ms']:.0f} ms | "
                     f"{g['p50_ms']:.0f} / {g['p95_ms']:.0f} / {g['max_ms']:.0f} ms | "
                     f"{r['server_cpu_s'] / r['requests'] * 1000:.0f} ms | {r['load_average'][0]:.1f} | "
                     f"{c['records_ok']}/{r['reporters']} | {c['audit_ok']}/{r['reporters']} | {len(r['server_errors'])} | "
                     f"{'—' if r['listen_overflows'] is None else r['listen_overflows']} |")
    lines += ["", f"Goal: form p95 < {GOAL_P95_MS:g} ms at {REPORTERS} reporters on PostgreSQL; the logins are "
              "Argon2 password checks (docs/web.md 安全) and reported apart.", ""]
    for k, r in w["runs"].items():
        lines.append(f"{k} per request: " + "; ".join(f"{name} p95 {s['p95_ms']:.0f} ms" for name, s in r["by_request"].items()) + ".")
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--reporters", type=int, default=REPORTERS)
    ap.add_argument("--think", type=float, nargs="+", default=list(THINK_TIMES),
                    help="mean think time between steps (s); a run for each")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--django", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.django:
        step, arg = args.django
        print(json.dumps(_prepare(json.loads(arg)) if step == "prepare" else _check(json.loads(arg))))
        return 0
    w = run(args.quick, args.db, tuple(args.think), args.reporters)
    print(json.dumps(w, ensure_ascii=False, indent=1))
    print("\n".join(section(w)))
    return 0 if all(r["goal_pass"] for r in w["runs"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
