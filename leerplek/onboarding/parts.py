"""The pieces each area of the onboarding module adds to shared pages.

The onboarding page, the newcomer's own page and the home page show a section for each area
(the onthaal record, reviews, notebook, ...). An area's `views_<area>.py` may define

- `detail_part(request, onboarding)` for the onboarding page,
- `mine_part(request, onboarding)` for the newcomer's own page,
- `home_part(request)` for the home page (one or more cards),

each returning `(template name, context)` or None when it has nothing to show. The template is
included with the context as `part`. Each part keeps a fixed number of queries.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from leerplek.core.http import OrganisationHttpRequest
from leerplek.onboarding.models import Onboarding

Part = tuple[str, dict[str, Any]]


def _areas() -> tuple[ModuleType, ...]:
    from leerplek.onboarding import (
        views_guidance,
        views_matching,
        views_metrics,
        views_plan,
        views_pool,
        views_record,
        views_reviews,
    )

    # The order in which the sections appear.
    return (
        views_matching,
        views_record,
        views_reviews,
        views_plan,
        views_guidance,
        views_pool,
        views_metrics,
    )


def _collect(hook: str, *args: Any) -> list[Part]:
    parts: list[Part] = []
    for area in _areas():
        function = getattr(area, hook, None)
        if function is None:
            continue
        part = function(*args)
        if part is not None:
            parts.append(part)
    return parts


def detail_parts(request: OrganisationHttpRequest, onboarding: Onboarding) -> list[Part]:
    return _collect("detail_part", request, onboarding)


def mine_parts(request: OrganisationHttpRequest, onboarding: Onboarding | None) -> list[Part]:
    return _collect("mine_part", request, onboarding)


def home_parts(request: OrganisationHttpRequest) -> list[Part]:
    return _collect("home_part", request)
