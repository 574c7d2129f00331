"""URL arguments for the training 'tests' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from leerplek.training.models import Attempt, Escalation
from tests.factories import Cast
from tests.training.factories import assigned
from tests.training.factories_tests import (
    photo_question,
    practical,
    programme_module,
    questionnaire,
)


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'tests' pages add, inside the line manager's scope.

    A draft practical test (its settings and checklist may change; the observer pages show it
    as not published yet) and a draft questionnaire with a photo question, both on a programme
    the packaging worker follows. He has no log-in, so no role takes his test or reads his
    result. Keep the walk data out of the cast's mentor's guidance: the walk expects his roles
    alone.
    """
    version, module = programme_module(cast, code="WALK-TS")
    test = practical(cast, module, publish=False, title="Walk praktijkproef")
    criterion = test.criteria.order_by("position").first()
    bank = questionnaire(cast, module, title="Walk vragenlijst", questions=1, publish=False)
    question = photo_question(cast, bank)
    choice = question.choices.order_by("position").first()
    assert criterion is not None
    assert choice is not None
    assert cast.worker is not None
    assigned(cast, version)
    attempt = Attempt.objects.create(
        organisation=cast.organisation,
        test=bank,
        employee=cast.worker,
        number=1,
        submitted_at=timezone.now(),
        points=0,
        max_points=2,
        passed=False,
    )
    escalation = Escalation.objects.create(
        organisation=cast.organisation, test=bank, employee=cast.worker
    )
    return {
        "test_id": test.pk,
        "test_criterion_id": criterion.pk,
        "test_question_id": question.pk,
        "test_choice_id": choice.pk,
        "test_attempt_id": attempt.pk,
        "escalation_id": escalation.pk,
    }
