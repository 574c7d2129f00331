"""Demo stories of the training module (#6): each area adds its piece.

An area's `leerplek/demo/training_<area>.py` defines `build(story)`; `story` is a
`TrainingStory`: the organisation's state (units, functions, workstations, the demo people),
its administrator and today. Areas run in the order below: instructions before the programmes
that teach them, programmes before the learners who follow them, tests and certificates last.
Everything goes through the services, as a user would do it.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass
from typing import Any

from leerplek.people.models import User

AREAS = (
    "training_instructions",
    "training_programmes",
    "training_learning",
    "training_leittext",
    "training_ranking",
    "training_tests",
    "training_certificates",
)


@dataclass
class TrainingStory:
    state: Any  # builder._OrgState
    admin: User
    today: datetime.date
    is_transport: bool


def build(state: Any, admin: User, today: datetime.date, *, is_transport: bool) -> None:
    story = TrainingStory(state=state, admin=admin, today=today, is_transport=is_transport)
    for name in AREAS:
        try:
            area = importlib.import_module(f"leerplek.demo.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"leerplek.demo.{name}":
                raise
            continue
        area.build(story)
