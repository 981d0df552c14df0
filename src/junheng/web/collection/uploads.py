"""Uploaded workbooks: size limit, a private temporary file, the file importer.

The size is checked before anything is read (``JUNHENG_MAX_UPLOAD_MB``); the file importer then
applies its own guards (junheng.io.limits: cells, unpacked size, compression ratio) and every
validation rule. An upload is never kept.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from junheng.errors import InputError, Issue
from junheng.io import LoadResult, read_school_table

ALLOWED_SUFFIXES = (".xlsx", ".xls", ".csv")


@contextmanager
def saved_upload(upload) -> Iterator[tuple[Path, str]]:
    """(path of a private temporary copy, display name) of a Django ``UploadedFile`` that is a
    spreadsheet (:data:`ALLOWED_SUFFIXES`) within ``JUNHENG_MAX_UPLOAD_MB``; the copy is removed on
    exit. Raises InputError (Chinese issue naming the file) when refused. Every importer of the
    workspace reads its uploads through this (school tables, the ledgers' lists)."""
    name = Path(upload.name or "上传文件").name
    suffix = Path(name).suffix.lower()
    limit = settings.JUNHENG_MAX_UPLOAD_MB
    if suffix not in ALLOWED_SUFFIXES:
        raise InputError([Issue("error", "只接受 .xlsx、.xls 或 .csv 文件。", file=name, code="bad_suffix")])
    if upload.size > limit * 1024 * 1024:
        raise InputError([Issue("error", f"文件大小 {upload.size / 1024 / 1024:.1f} MB，超过上限 {limit} MB。",
                                file=name, code="upload_too_large")])
    with tempfile.TemporaryDirectory(prefix="junheng-upload-") as tmp:
        path = Path(tmp) / (name if len(name) <= 120 else f"upload{suffix}")  # messages name the file
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        yield path, name


def read_upload(upload) -> LoadResult:
    """Read a Django ``UploadedFile`` as a school table; raises InputError (Chinese issues) when refused."""
    with saved_upload(upload) as (path, name):
        res = read_school_table(path)
    res.file = name
    return res
