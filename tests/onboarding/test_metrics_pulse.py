"""The satisfaction pulse (MEN-12): who answers, when, and what a second answer does."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.onboarding.models import OnboardingStatus, PulseRespondent, PulseResponse
from leerplek.onboarding.services_metrics import ERRORS, pulse_answer
from tests.factories import Cast
from tests.onboarding.factories import colleague, designate, templates
from tests.onboarding.factories_metrics import acting, history, newcomer_user, peter_user

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 11, 2)
WEEK_1 = START + datetime.timedelta(days=2)


def onboarding_of(cast: Cast) -> object:
    templates(cast)
    return history(cast, start_date=START, with_guide=False)


def test_the_newcomer_answers_the_week_one_question(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    user = newcomer_user(cast, onboarding)
    answer = pulse_answer(onboarding=onboarding, score=4, comment=" Fine ", by=user, today=WEEK_1)
    assert (answer.respondent, answer.moment, answer.score, answer.comment) == (
        PulseRespondent.NEWCOMER,
        1,
        4,
        "Fine",
    )
    entry = AuditEntry.objects.get(action="onboarding.pulse_answered")
    assert entry.after["score"] == 4
    assert entry.organisation_id == cast.organisation.pk


def test_a_second_answer_in_the_same_week_replaces_the_first(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    user = newcomer_user(cast, onboarding)
    pulse_answer(onboarding=onboarding, score=2, by=user, today=WEEK_1)
    pulse_answer(onboarding=onboarding, score=5, comment="Tapped wrong", by=user, today=WEEK_1)
    assert list(PulseResponse.objects.values_list("moment", "score", "comment")) == [
        (1, 5, "Tapped wrong")
    ]
    assert AuditEntry.objects.filter(action="onboarding.pulse_answered").order_by(
        "id"
    ).last().before == {
        "score": 2,
        "comment": "",
    }


def test_the_peter_answers_his_own_question(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    user = peter_user(cast, onboarding)
    answer = pulse_answer(onboarding=onboarding, score=5, by=user, today=WEEK_1)
    assert answer.respondent == PulseRespondent.GUIDE


def test_newcomer_and_peter_answer_the_same_week_separately(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    pulse_answer(onboarding=onboarding, score=3, by=peter_user(cast, onboarding), today=WEEK_1)
    pulse_answer(onboarding=onboarding, score=4, by=newcomer_user(cast, onboarding), today=WEEK_1)
    assert PulseResponse.objects.count() == 2


def test_a_backup_guide_does_not_answer(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    designate(cast, onboarding, colleague(cast))
    designate(cast, onboarding, cast.employees[Role.MENTOR], is_backup=True)
    user = acting(cast.user(Role.MENTOR), cast)
    with pytest.raises(ValidationError) as caught:
        pulse_answer(onboarding=onboarding, score=4, by=user, today=WEEK_1)
    assert caught.value.message_dict == {"score": [str(ERRORS["not_respondent"])]}
    assert not PulseResponse.objects.exists()


def test_hr_cannot_answer_for_the_newcomer(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    with pytest.raises(PermissionDenied):
        pulse_answer(
            onboarding=onboarding, score=4, by=acting(cast.user(Role.HR), cast), today=WEEK_1
        )
    assert not PulseResponse.objects.exists()


def test_outside_the_pulse_weeks_nothing_is_open(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    user = newcomer_user(cast, onboarding)
    with pytest.raises(ValidationError) as caught:
        pulse_answer(
            onboarding=onboarding, score=4, by=user, today=START + datetime.timedelta(days=16)
        )
    assert caught.value.message_dict == {
        "score": [
            "There is no pulse question open now. The questions open in weeks 1, 4, 13, 26 of "
            "the onboarding."
        ]
    }
    assert not AuditEntry.objects.filter(action="onboarding.pulse_answered").exists()


def test_week_four_is_recorded_as_week_four(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    user = newcomer_user(cast, onboarding)
    answer = pulse_answer(
        onboarding=onboarding, score=3, by=user, today=START + datetime.timedelta(days=22)
    )
    assert answer.moment == 4


@pytest.mark.parametrize("score", [0, 6])
def test_the_score_runs_from_one_to_five(cast: Cast, score: int) -> None:
    onboarding = onboarding_of(cast)
    user = newcomer_user(cast, onboarding)
    with pytest.raises(ValidationError) as caught:
        pulse_answer(onboarding=onboarding, score=score, by=user, today=WEEK_1)
    assert caught.value.message_dict == {"score": [str(ERRORS["score_range"])]}


def test_a_long_comment_is_refused_naming_its_length(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    user = newcomer_user(cast, onboarding)
    with pytest.raises(ValidationError) as caught:
        pulse_answer(onboarding=onboarding, score=3, comment="x" * 501, by=user, today=WEEK_1)
    assert caught.value.message_dict == {
        "comment": ["Keep the comment to 500 characters; it has 501."]
    }
    assert not PulseResponse.objects.exists()


def test_a_closed_onboarding_takes_no_answer(cast: Cast) -> None:
    onboarding = onboarding_of(cast)
    user = newcomer_user(cast, onboarding)
    type(onboarding).objects.filter(pk=onboarding.pk).update(status=OnboardingStatus.COMPLETED)
    with pytest.raises(ValidationError) as caught:
        pulse_answer(onboarding=onboarding, score=3, by=user, today=WEEK_1)
    assert caught.value.message_dict == {"score": [str(ERRORS["onboarding_closed"])]}
