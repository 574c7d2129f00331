"""URL arguments for the 'plan' pages in the URL walk (tests/core/test_url_permissions.py)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from leerplek.onboarding.models import NotebookEntry, Onboarding
from tests.factories import Cast

# A tiny real PNG (a blue square): the walk's photo must open for those who may see it.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08\x00\x00\x00\x08"
    b"\x08\x02\x00\x00\x00Km)\xdc\x00\x00\x00\x11IDATx\xdacH\xe8\xd9\x87"
    b"\x151\x0c-\t\x00\x85\xafj\x81\xf2\xf8\xeb\xb3\x00\x00\x00\x00IEND\xaeB"
    b"`\x82"
)


def arguments(cast: Cast, onboarding: Onboarding) -> dict[str, Any]:
    """A value for each URL argument the 'plan' pages add, inside the line manager's scope: a
    tip with a photo in the worker's notebook (written as the newcomer would)."""
    entry = NotebookEntry(onboarding=onboarding, text="Walk tip")
    entry.photo.save("walk.png", SimpleUploadedFile("walk.png", PNG, "image/png"), save=False)
    entry.save()
    return {"notebook_entry_id": entry.pk}
