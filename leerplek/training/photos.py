"""Photos of the training module (instruction steps, photo questions): checked by their content,
never by their name or the browser's content type, and served with safe headers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

from leerplek.core.errors import field_error

# Pillow's format name -> the content type the photo is served with.
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

ERRORS = {
    "photo_size": _(
        "%(field)s: %(name)s is %(size)s MB; attach a photo of at most %(max)s MB (a smaller "
        "photo will do)."
    ),
    "photo_content": _(
        "%(field)s: %(name)s is not a photo inside (JPG, PNG or WEBP); attach the photo itself, "
        "not a document or a link."
    ),
}


def photo_max_mb() -> int:
    return int(settings.LEERPLEK["TRAINING_PHOTO_MAX_MB"])


def _error(key: str, code: str, **params: Any) -> ValidationError:
    return field_error(key, ERRORS[code], code=code, params=params)


def photo_format(file: Any) -> str | None:
    """Pillow's format name of the image inside `file`, or None when it is no image."""
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    finally:
        file.seek(0)
    return image_format


def photo_check(file: UploadedFile, *, field: str, label: Any) -> str:
    """Refuse a photo that is too large or not a JPG, PNG or WEBP image inside; return the
    content type to serve it with. Raises ValidationError on `field`, naming field and file."""
    name = (file.name or "photo").rsplit("/", 1)[-1][-80:]
    limit = photo_max_mb() * 1024 * 1024
    size = file.size or 0
    if size > limit:
        raise _error(
            field,
            "photo_size",
            field=str(label),
            name=name,
            size=f"{size / 1024 / 1024:.1f}",
            max=photo_max_mb(),
        )
    image_format = photo_format(file)
    if image_format not in PHOTO_FORMATS:
        raise _error(field, "photo_content", field=str(label), name=name)
    return PHOTO_FORMATS[str(image_format)]


def photo_response(photo: FieldFile) -> FileResponse:
    """Serve a stored photo inline with its checked content type, never sniffed, sandboxed."""
    if not photo:
        raise Http404
    try:
        handle = photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    image_format = photo_format(handle)
    if image_format not in PHOTO_FORMATS:
        handle.close()
        raise Http404
    response = FileResponse(handle, content_type=PHOTO_FORMATS[str(image_format)])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
