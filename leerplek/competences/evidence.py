"""Evidence files of assessments (COMP-09): which files are accepted, how they are checked, stored
and served.

A file is accepted when its name ends in a known suffix, its first bytes are of that same type (a
renamed executable is refused) and it is not larger than LEERPLEK["EVIDENCE_MAX_MB"]. It is stored
under a random name (`models.evidence_path`) in MEDIA_ROOT, which is never served as such: the
download view checks who asks (`evidence_views.py`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from leerplek.competences.models import Assessment

# Suffix -> (kind, content type served on download).
ACCEPTED: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "application/pdf"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".png": ("png", "image/png"),
    ".webp": ("webp", "image/webp"),
    ".heic": ("heif", "image/heic"),
    ".heif": ("heif", "image/heif"),
}
KIND_NAMES = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heif": "HEIC/HEIF"}
# ISO base media "ftyp" brands of HEIC/HEIF still images (photos of iPhones and many Androids).
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
DEFAULT_MAX_MB = 10

ERRORS = {
    "evidence_type": _(
        "Attach a PDF or a photo (JPG, PNG, WEBP or HEIC); %(name)s is not one of these."
    ),
    "evidence_content": _(
        "%(name)s is not a real %(kind)s file inside; attach the original PDF or photo."
    ),
    "evidence_size": _(
        "%(name)s is %(size)s MB; attach a file of at most %(max)s MB (a smaller photo will do)."
    ),
    "evidence_empty": _("%(name)s is empty; attach the file again."),
}


def max_bytes() -> int:
    return int(settings.LEERPLEK.get("EVIDENCE_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def sniff(head: bytes) -> str | None:
    """The kind of file whose content starts with `head` (at least 12 bytes), or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heif"
    return None


def display_name(name: str) -> str:
    """The original file name without any folder or control characters, at most 255 long."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    clean = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip() or "evidence"
    if len(clean) > 255:
        suffix = PurePosixPath(clean).suffix[:10]
        clean = clean[: 255 - len(suffix)] + suffix
    return clean


def check_upload(
    file: UploadedFile,
    *,
    accepted: dict[str, tuple[str, str]],
    limit: int,
    errors: dict[str, Any],
    prefix: str,
) -> tuple[str, str]:
    """Check an upload against `accepted` (suffix -> (kind, content type)) and `limit` bytes;
    return its (kind, content type). Raises ValidationError without a field (forms put it on
    theirs, services on theirs) with the messages `errors["<prefix>_type|_empty|_size|_content"]`
    and those codes."""
    name = display_name(file.name or "")
    suffix = PurePosixPath(name).suffix.lower()

    def refuse(problem: str, **params: object) -> ValidationError:
        code = f"{prefix}_{problem}"
        return ValidationError(errors[code], code=code, params={"name": name, **params})

    if suffix not in accepted:
        raise refuse("type")
    size = file.size or 0
    if size == 0:
        raise refuse("empty")
    if size > limit:
        raise refuse("size", size=f"{size / 1024 / 1024:.1f}", max=limit // 1024 // 1024)
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind, content_type = accepted[suffix]
    if sniff(head) != kind:
        raise refuse("content", kind=KIND_NAMES[kind])
    return kind, content_type


def check(file: UploadedFile) -> str:
    """Check an uploaded evidence file; return its content type. Raises ValidationError (without
    a field: forms put it on their field, the service on "evidence")."""
    return check_upload(
        file, accepted=ACCEPTED, limit=max_bytes(), errors=ERRORS, prefix="evidence"
    )[1]


def content_type_of(stored_name: str) -> str:
    """The content type to serve a stored evidence file with (checked when it was stored)."""
    suffix = PurePosixPath(stored_name).suffix.lower()
    return ACCEPTED.get(suffix, ("", "application/octet-stream"))[1]


@contextmanager
def attached(assessment: Assessment, file: UploadedFile | None) -> Iterator[None]:
    """Store `file` as the evidence of the unsaved `assessment` for the block that writes the
    row; when that block fails (the insert, the audit entry or the commit), remove the file again,
    so nothing is half-written."""
    if file is None:
        yield
        return
    assessment.evidence_name = display_name(file.name or "")
    assessment.evidence.save(assessment.evidence_name, file, save=False)
    stored = assessment.evidence.name
    try:
        yield
    except BaseException:
        assessment.evidence.storage.delete(stored)
        assessment.evidence = None
        assessment.evidence_name = ""
        raise
