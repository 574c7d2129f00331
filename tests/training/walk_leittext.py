"""URL arguments for the training 'leittext' pages (the URL walk)."""

from __future__ import annotations

from typing import Any

from tests.factories import Cast
from tests.training.factories import assigned
from tests.training.factories_leittext import draft_leittext


def arguments(cast: Cast) -> dict[str, Any]:
    """A value for each URL argument the 'leittext' pages add, inside the line manager's scope.

    One Leittext module of a draft version serves both the authoring pages (a draft may be
    edited) and the work pages: the packaging worker, who has no log-in and no guide, follows
    its version, so no role is his learner or his coach. Keep the walk data out of the cast's
    mentor's guidance: the walk expects his roles alone.
    """
    module = draft_leittext(cast, code="WALK-LT", questions=2, criteria=2)
    assignment = assigned(cast, module.version)
    question = module.leittext_questions.order_by("position").first()
    criterion = module.leittext_criteria.order_by("position").first()
    assert question is not None
    assert criterion is not None
    return {
        "module_id": module.pk,
        "assignment_id": assignment.pk,
        "leittext_question_id": question.pk,
        "leittext_criterion_id": criterion.pk,
    }
