"""The quick log (REG-11): a worker logs informal learning in three fields; the manager of his
unit confirms it into a confirmed informal activity, never his own log."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.registration.models import (
    ActivityStatus,
    Category,
    InformalKind,
    QuickLog,
    QuickLogStatus,
    Source,
)
from leerplek.registration.services_drafts import quick_log_create, quick_logs_decide
from tests.factories import Cast
from tests.registration.factories_drafts import acting_user, quick_log

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_worker_logs_what_he_learned_today(cast: Cast) -> None:
    log = quick_log(cast)
    assert (log.date, log.how, log.minutes, log.status) == (
        TODAY,
        "asked",
        30,
        QuickLogStatus.PENDING,
    )
    assert log.activity is None
    assert AuditEntry.objects.filter(action="registration.quick_log_added").count() == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"how": "dreamed"}, {"how": ["Choose how you learned."]}),
        ({"topic": "   "}, {"topic": ["Write in a few words what you learned."]}),
        ({"topic": "x" * 201}, {"topic": ["Keep the topic under 200 characters."]}),
        (
            {"minutes": 0},
            {"minutes": ["Enter the minutes as a whole number from 1 to 480 (eight hours)."]},
        ),
        (
            {"minutes": 481},
            {"minutes": ["Enter the minutes as a whole number from 1 to 480 (eight hours)."]},
        ),
        (
            {"minutes": "half an hour"},
            {"minutes": ["Enter the minutes as a whole number from 1 to 480 (eight hours)."]},
        ),
        (
            {"date": TODAY + datetime.timedelta(days=1)},
            {"date": ["The day cannot be in the future."]},
        ),
        (
            {"date": datetime.date(2010, 1, 1)},
            {"date": ["The day lies before your first working day here."]},
        ),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(
    cast: Cast, fields: dict[str, object], errors: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as caught:
        quick_log(cast, **fields)
    assert caught.value.message_dict == errors
    assert not QuickLog.objects.exists()


def test_nobody_logs_for_someone_else(cast: Cast) -> None:
    assert cast.worker is not None
    with pytest.raises(PermissionDenied):
        quick_log_create(
            employee=cast.worker,
            by=acting_user(cast, Role.MANAGER),
            how="read",
            topic="Veiligheidsfiche",
            minutes=10,
        )


def decide(cast: Cast, role: Role, logs: list[QuickLog], decision: str = "confirm") -> object:
    return quick_logs_decide(
        organisation=cast.organisation,
        ids=[log.pk for log in logs],
        decision=decision,
        by=acting_user(cast, role),
    )


@pytest.mark.parametrize(
    ("how", "kind"),
    [
        ("asked", InformalKind.COACHING),
        ("watched", InformalKind.ON_THE_JOB),
        ("tried", InformalKind.ON_THE_JOB),
        ("read", InformalKind.SELF_STUDY),
        ("searched", InformalKind.KNOW_HOW),
    ],
)
def test_the_manager_confirms_into_an_informal_activity(cast: Cast, how: str, kind: str) -> None:
    log = quick_log(cast, how=how, minutes=45)
    done = decide(cast, Role.MANAGER, [log])
    assert done.hours == Decimal("0.75")  # type: ignore[attr-defined]
    log.refresh_from_db()
    assert log.status == QuickLogStatus.CONFIRMED
    assert log.decided_by == cast.user(Role.MANAGER)
    activity = log.activity
    assert activity is not None
    assert (activity.category, activity.informal_kind, activity.status, activity.source) == (
        Category.INFORMAL,
        kind,
        ActivityStatus.CONFIRMED,
        Source.QUICK_LOG,
    )
    assert activity.source_key == f"quicklog:{log.pk}"
    assert activity.confirmed_by == cast.user(Role.MANAGER)
    participation = activity.participations.get()
    assert (participation.employee, participation.hours) == (log.employee, Decimal("0.75"))


def test_several_logs_are_confirmed_in_one_go(cast: Cast) -> None:
    logs = [quick_log(cast, topic=f"Onderwerp {n}", minutes=20) for n in range(3)]
    done = decide(cast, Role.MANAGER, logs)
    assert (done.count, done.hours) == (3, Decimal("1.00"))  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="registration.quick_logs_confirmed").count() == 1


def test_a_rejected_log_creates_no_activity(cast: Cast) -> None:
    log = quick_log(cast)
    decide(cast, Role.MANAGER, [log], "reject")
    log.refresh_from_db()
    assert (log.status, log.activity) == (QuickLogStatus.REJECTED, None)


def test_a_manager_never_confirms_his_own_log(cast: Cast) -> None:
    own = quick_log(cast, employee=cast.employees[Role.MANAGER])
    with pytest.raises(ValidationError) as caught:
        decide(cast, Role.MANAGER, [own])
    assert caught.value.message_dict == {
        "selected": [
            "You cannot confirm or reject your own log; another manager or HR decides on it."
        ]
    }
    own.refresh_from_db()
    assert own.status == QuickLogStatus.PENDING
    # HR decides on it instead.
    decide(cast, Role.HR, [own])
    own.refresh_from_db()
    assert own.status == QuickLogStatus.CONFIRMED


def test_hr_never_confirms_his_own_log_either(cast: Cast) -> None:
    own = quick_log(cast, employee=cast.employees[Role.HR])
    with pytest.raises(ValidationError):
        decide(cast, Role.HR, [own])


def test_a_manager_decides_only_in_his_units(cast: Cast) -> None:
    # The administrator's person record sits in the office, outside the production manager's
    # grant.
    office = quick_log(cast, employee=cast.employees[Role.ADMIN])
    with pytest.raises(PermissionDenied):
        decide(cast, Role.MANAGER, [office])
    office.refresh_from_db()
    assert office.status == QuickLogStatus.PENDING


def test_a_worker_cannot_confirm_logs(cast: Cast) -> None:
    log = quick_log(cast, employee=cast.employees[Role.MENTOR])
    with pytest.raises(PermissionDenied):
        decide(cast, Role.EMPLOYEE, [log])


def test_a_decided_log_is_not_decided_again(cast: Cast) -> None:
    log = quick_log(cast)
    decide(cast, Role.MANAGER, [log])
    with pytest.raises(ValidationError) as caught:
        decide(cast, Role.HR, [log], "reject")
    assert "selected" in caught.value.message_dict
