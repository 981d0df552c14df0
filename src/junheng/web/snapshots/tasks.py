"""Background jobs (huey, docs/web.md "后台任务"): the official reports of a snapshot.

The job runs the same calls as ``junheng report``: the snapshot's assessment
(snapshots/services.py) and :func:`junheng.report.bundle.write_reports` in this process
(``jobs=1``), then zips the files for one download. Progress and a Chinese error message are
kept on the :class:`~junheng.web.snapshots.models.ReportJob` row.
"""
from __future__ import annotations

import logging
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from huey.contrib.djhuey import db_task

from junheng.errors import JunhengError
from junheng.web.snapshots.models import ReportJob

log = logging.getLogger(__name__)


def _step(job: ReportJob, progress: int, step: str, **more) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=progress, step=step, **more)


def report_folder(job: ReportJob) -> Path:
    """Where the job's files are written (inside the data folder)."""
    return Path(settings.DATA_DIR) / "files" / "reports" / str(job.pk)


def run_report_job(job_id: int) -> None:
    """Write the reports of job ``job_id``; never raises (a failure is recorded on the job)."""
    from junheng.report.bundle import write_reports
    from junheng.web.snapshots.services import assessed, partial_note, source_name

    job = ReportJob.objects.select_related("snapshot", "snapshot__county").get(pk=job_id)
    _step(job, 5, "读取快照数据", status=ReportJob.RUNNING)
    folder = report_folder(job)
    try:
        a, res, _ = assessed(job.snapshot, job.pack)
        _step(job, 30, "生成差异系数表、自评报告和网页版报告")
        paths = write_reports(a, folder / "out", source_name=source_name(job.snapshot), table=res.table, jobs=1,
                              partial=partial_note(job.snapshot))
        _step(job, 90, "打包下载文件")
        name = f"{job.snapshot.county.code}{job.snapshot.county.name}_{job.snapshot.year}_{job.pack}_快照{job.snapshot.pk}.zip"
        with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as z:
            for p in paths:
                z.write(p, p.name)
        shutil.rmtree(folder / "out", ignore_errors=True)
        _step(job, 100, "已完成", status=ReportJob.DONE, finished_at=timezone.now(),
              file=str((folder / name).relative_to(settings.DATA_DIR)))
    except (JunhengError, ValueError, OSError) as e:
        _fail(job, folder, str(e))
    except Exception as e:  # noqa: BLE001 - recorded on the job, never lost in the worker's log only
        log.exception("report job %s failed", job_id)
        _fail(job, folder, f"程序内部错误：{type(e).__name__}: {e}")


def _fail(job: ReportJob, folder: Path, message: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    _step(job, 100, "失败", status=ReportJob.FAILED, message=message, finished_at=timezone.now())


@db_task()
def report_task(job_id: int) -> None:
    """The queued form of :func:`run_report_job`."""
    run_report_job(job_id)
