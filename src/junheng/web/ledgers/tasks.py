"""Background jobs of the ledgers (huey, as snapshots/tasks.py): the closure check after a freeze."""
from __future__ import annotations

import logging

from huey.contrib.djhuey import db_task

log = logging.getLogger(__name__)


def run_closure(county_id: int) -> dict[str, int]:
    """rectification.closure.reconcile for one county (by id)."""
    from junheng.web.areas.models import Area
    from junheng.web.ledgers.rectification.closure import reconcile

    return reconcile(Area.objects.get(pk=county_id))


@db_task()
def closure_task(county_id: int) -> None:
    """The queued form of :func:`run_closure`; a failure goes to the log (the check can be rerun from the ledger page)."""
    try:
        run_closure(county_id)
    except Exception:  # noqa: BLE001
        log.exception("closure check of county %s failed", county_id)


@db_task()
def plan_task(job_id: int) -> None:
    """The planner on a snapshot turned into projects and 整改 items (projects/planning.run_job; it
    records its own failures on the job)."""
    from junheng.web.ledgers.projects.planning import run_job

    run_job(job_id)


# 日报 at 18:00 and 周报 on Fridays at 17:00, Beijing time (huey evaluates crontabs in UTC)
from huey import crontab  # noqa: E402
from huey.contrib.djhuey import db_periodic_task  # noqa: E402


@db_periodic_task(crontab(minute="0", hour="10"))
def daily_digests() -> None:
    """The 日报 of every county and township (digests/services.make_all)."""
    from junheng.web.ledgers.digests.services import make_all

    make_all("daily")


@db_periodic_task(crontab(minute="0", hour="9", day_of_week="5"))
def weekly_digests() -> None:
    """The 周报 of every county and township."""
    from junheng.web.ledgers.digests.services import make_all

    make_all("weekly")
