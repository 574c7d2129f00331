"""URL arguments for the registration 'plan' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'plan' pages add, inside the line manager's scope.

    Keys are namespaced where another app uses the same name: "registration:activity_id"."""
    return {}
