"""The pieces each area of the registration module adds to shared pages.

An area's `views_<area>.py` may define `home_part(request)` for the home page: a card returning
`(template name, context)`, or None when it has nothing to show. The template is included with
the context as `part`. Each part keeps a fixed number of queries.
"""

from __future__ import annotations

import importlib
from typing import Any

from leerplek.core.http import OrganisationHttpRequest

Part = tuple[str, dict[str, Any]]
# The order in which the cards appear.
AREAS = ("views", "views_drafts", "views_plan", "views_rights", "views_schedule")


def home_parts(request: OrganisationHttpRequest) -> list[Part]:
    parts: list[Part] = []
    for name in AREAS:
        area = importlib.import_module(f"leerplek.registration.{name}")
        function = getattr(area, "home_part", None)
        part = function(request) if function is not None else None
        if part is not None:
            parts.append(part)
    return parts
