"""Errors that name the field they concern."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise


def field_error(
    field: str, message: str | Promise, *, code: str, params: dict[str, Any] | None = None
) -> ValidationError:
    """A ValidationError keyed by `field`, so forms and the API put it next to that field."""
    error = ValidationError(message, code=code, params=params)  # type: ignore[arg-type]  # lazy text is fine
    return ValidationError({field: error})
