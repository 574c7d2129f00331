"""The pieces each area of the training module adds to shared pages.

An area's `views_<area>.py` may define

- `home_part(request)` for the home page (a card: a learner's next module, read requests, tests
  to take, certificates about to expire, sign-offs waiting for the guide ...),
- `mine_part(request, employee)` for the learner's own page ("My learning", `training:mine`),
- `assignment_part(request, assignment)` for the page of one learner's programme,

each returning `(template name, context)` or None when it has nothing to show. The template is
included with the context as `part`. Each part keeps a fixed number of queries.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from leerplek.core.http import OrganisationHttpRequest

Part = tuple[str, dict[str, Any]]


def _areas() -> tuple[ModuleType, ...]:
    from leerplek.training import (
        views_certificates,
        views_instructions,
        views_learning,
        views_leittext,
        views_programmes,
        views_ranking,
        views_station,
        views_tests,
    )

    # The order in which the sections appear.
    return (
        views_learning,
        views_instructions,
        views_station,
        views_tests,
        views_certificates,
        views_leittext,
        views_programmes,
        views_ranking,
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


def home_parts(request: OrganisationHttpRequest) -> list[Part]:
    return _collect("home_part", request)


def mine_parts(request: OrganisationHttpRequest, employee: Any) -> list[Part]:
    return _collect("mine_part", request, employee)


def assignment_parts(request: OrganisationHttpRequest, assignment: Any) -> list[Part]:
    return _collect("assignment_part", request, assignment)
