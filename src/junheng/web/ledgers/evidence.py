"""Evidence files (佐证材料) of ledger items and of children's closures: size- and type-limited,
stored in the data folder.

Accepted: PDF, JPEG, PNG, Word (.docx/.doc) and Excel (.xlsx/.xls), up to ``JUNHENG_MAX_UPLOAD_MB``
MB; the first bytes must be those of the type the extension names (a renamed program is refused).
A file is stored under a random name in ``<data>/files/ledgers/evidence/<item>/`` (a child's:
``…/evidence/children/<child>/``; never under
the name the user gave, never inside the static or code folders) and served only as a download
(``application/octet-stream``, ``Content-Disposition: attachment``; the site sends ``nosniff``),
so it is never executed or rendered by the browser.
"""
from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.conf import settings

#: extension → accepted leading bytes.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
FOLDER = Path("files") / "ledgers" / "evidence"


class EvidenceError(Exception):
    """The file is refused (Chinese message)."""


def check(name: str, size: int, head: bytes) -> str:
    """The lower-case extension of an acceptable file; raises EvidenceError otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix not in SIGNATURES:
        raise EvidenceError(f"“{Path(name).name}”：佐证材料只接受 PDF、图片（JPG、PNG）、Word 或 Excel 文件。")
    limit = settings.JUNHENG_MAX_UPLOAD_MB
    if size > limit * 1024 * 1024:
        raise EvidenceError(f"“{Path(name).name}”：文件大小 {size / 1024 / 1024:.1f} MB，超过上限 {limit} MB。")
    if size == 0:
        raise EvidenceError(f"“{Path(name).name}”：文件为空（0 字节）。")
    if not any(head.startswith(sig) for sig in SIGNATURES[suffix]):
        raise EvidenceError(f"“{Path(name).name}”：文件内容不是扩展名 {suffix} 所示的格式，未保存。")
    return suffix


def store(upload, item_id: int | str) -> tuple[str, str, int, str]:
    """Check and save a Django ``UploadedFile`` in the folder ``item_id`` (an item's id, or
    ``children/<id>``). Returns (display name, stored relative path, size, sha256); raises
    EvidenceError (nothing written) for a refused file."""
    name, suffix = check_upload(upload)
    rel = FOLDER / str(item_id) / f"{secrets.token_hex(16)}{suffix}"
    path = Path(settings.DATA_DIR) / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("xb") as fh:
        for chunk in upload.chunks():
            digest.update(chunk)
            fh.write(chunk)
    path.chmod(0o600)
    return name, str(rel), upload.size, digest.hexdigest()


def check_upload(upload) -> tuple[str, str]:
    """:func:`check` of a Django ``UploadedFile`` without saving it: (display name, extension);
    raises EvidenceError."""
    first = next(iter(upload.chunks()), b"") if upload.size else b""
    name = Path(upload.name or "佐证材料").name[-150:]
    return name, check(name, upload.size, first[:16])


def open_stored(rel: str):
    """The stored file (binary handle) of a relative path, refusing anything outside the evidence folder."""
    base = (Path(settings.DATA_DIR) / FOLDER).resolve()
    path = (Path(settings.DATA_DIR) / rel).resolve()
    if base not in path.parents or not path.is_file():
        raise FileNotFoundError(rel)
    return path.open("rb")


def download(f):
    """The download response of a stored evidence row ``f`` (``name``, ``stored``): an attachment as
    ``application/octet-stream``, never rendered; Http404 when the file is gone."""
    from django.http import FileResponse, Http404

    try:
        fh = open_stored(f.stored)
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    return FileResponse(fh, as_attachment=True, filename=f.name, content_type="application/octet-stream")
