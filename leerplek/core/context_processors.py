"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from leerplek.core.access import ANONYMOUS
from leerplek.core.navigation import menu_for


def access(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "access", ANONYMOUS)
    return {"access": current, "menu": menu_for(request.user, current)}
