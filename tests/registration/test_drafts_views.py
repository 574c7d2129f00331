"""The drafts review page, the quick log and its review page: who may open them, the bulk
decision through the page, errors shown at the row, and query counts that do not grow."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.registration.models import (
    Activity,
    ActivityStatus,
    Category,
    QuickLog,
    QuickLogStatus,
)
from leerplek.registration.services_drafts import drafts_generate
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_drafts import ended_peter, external_certificate, quick_log

pytestmark = pytest.mark.django_db
DRAFTS = reverse("registration:draft-list")
QUICK_LOG = reverse("registration:quick-log")
REVIEW = reverse("registration:quick-log-review")
YEAR = timezone.localdate().year


def certificates(cast: Cast, count: int) -> list[Activity]:
    for number in range(count):
        external_certificate(cast, title=f"Cert {number}", issued_on=timezone.localdate())
    drafts_generate(organisation=cast.organisation)
    return list(Activity.objects.filter(source="certificate").order_by("pk"))


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.HR, 200), (Role.ADMIN, 200), (Role.MANAGER, 403), (Role.EMPLOYEE, 403)],
)
def test_only_hr_opens_the_drafts(cast: Cast, client: Any, role: Role, status: int) -> None:
    client.force_login(cast.user(role))
    assert client.get(DRAFTS).status_code == status


def test_the_page_lists_drafts_with_the_headline(cast: Cast, client: Any) -> None:
    ended_peter(cast, weeks=3)
    certificates(cast, 1)
    assert cast.worker is not None
    # Confirmed this year: 10 formal hours and 30 informal hours from a quick log.
    activity(cast, "Heftruck", on=timezone.localdate(), participants=[(cast.worker, 10)])
    activity(
        cast,
        "Geleerd",
        category=Category.INFORMAL,
        source="quick_log",
        on=timezone.localdate(),
        participants=[(cast.worker, 30)],
    )
    client.force_login(cast.user(Role.HR))
    response = client.get(DRAFTS)
    body = response.content.decode()
    assert "Peter/meter with Piet Peter" in body
    assert "External certificate “Cert 0”" in body
    headline = response.context["headline"]
    assert headline.visible_hours == Decimal("30")
    assert headline.informal_share == 75
    assert headline.waiting_hours == Decimal("4.00")
    assert f"hours of workplace learning made visible in {YEAR}" in body
    assert "75%" in body


def test_the_source_filter_keeps_one_source(cast: Cast, client: Any) -> None:
    ended_peter(cast)
    certificates(cast, 2)
    client.force_login(cast.user(Role.HR))
    response = client.get(DRAFTS, {"source": "guidance", "year": YEAR})
    assert [row.activity.source for row in response.context["rows"]] == ["guidance"]
    assert [group.count for group in response.context["groups"]] == [1, 2]


def test_confirming_selected_rows_with_a_corrected_hour(cast: Cast, client: Any) -> None:
    first, second, third = certificates(cast, 3)
    client.force_login(cast.user(Role.HR))
    response = client.post(
        DRAFTS,
        {
            "selected": [first.pk, second.pk],
            f"hours_{first.pk}": "2.5",
            f"hours_{second.pk}": "1.00",
            f"hours_{third.pk}": "9",
            "decision": "confirm",
        },
        follow=True,
    )
    assert "2 drafts confirmed: 3.50 hours of workplace learning now count." in (
        response.content.decode()
    )
    statuses = dict(Activity.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: ActivityStatus.CONFIRMED,
        second.pk: ActivityStatus.CONFIRMED,
        third.pk: ActivityStatus.DRAFT,
    }
    assert first.participations.get().hours == Decimal("2.50")
    assert third.participations.get().hours == Decimal("1.00")


def test_rejecting_selected_rows(cast: Cast, client: Any) -> None:
    first, _second = certificates(cast, 2)
    client.force_login(cast.user(Role.HR))
    response = client.post(DRAFTS, {"selected": [first.pk], "decision": "reject"}, follow=True)
    assert "1 draft rejected." in response.content.decode()
    assert Activity.objects.get(pk=first.pk).status == ActivityStatus.REJECTED


def test_bad_hours_are_shown_at_their_row_and_nothing_is_saved(cast: Cast, client: Any) -> None:
    first, second = certificates(cast, 2)
    client.force_login(cast.user(Role.HR))
    response = client.post(
        DRAFTS,
        {
            "selected": [first.pk, second.pk],
            f"hours_{first.pk}": "-1",
            f"hours_{second.pk}": "2",
            "decision": "confirm",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "enter more than zero hours, or reject the draft." in body
    assert "Correct the hours of 1 row below; nothing was saved." in body
    rows = {row.activity.pk: row for row in response.context["rows"]}
    assert rows[first.pk].hours == "-1"
    assert rows[first.pk].checked
    assert rows[first.pk].error
    assert not rows[second.pk].error
    assert set(Activity.objects.values_list("status", flat=True)) == {ActivityStatus.DRAFT}


def test_posting_without_a_selection_says_so(cast: Cast, client: Any) -> None:
    certificates(cast, 1)
    client.force_login(cast.user(Role.HR))
    response = client.post(DRAFTS, {"decision": "confirm"})
    assert response.status_code == 422
    assert "Select at least one row first." in response.content.decode()


def test_the_drafts_page_keeps_its_query_count(
    cast: Cast, client: Any, django_assert_num_queries: Any
) -> None:
    certificates(cast, 2)
    client.force_login(cast.user(Role.HR))
    client.get(DRAFTS)
    with django_assert_num_queries(11) as small:
        client.get(DRAFTS)
    for number in range(20):
        ended_peter(cast, learner_person=person(cast, f"Leerling{number}"))
    certificates(cast, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(DRAFTS)
    assert len(response.context["rows"]) == 32


# --- The quick log ---------------------------------------------------------------------------


def test_every_person_with_a_record_opens_his_quick_log(cast: Cast, client: Any) -> None:
    for role in (Role.EMPLOYEE, Role.MANAGER, Role.HR):
        client.force_login(cast.user(role))
        assert client.get(QUICK_LOG).status_code == 200


def test_a_user_without_a_person_record_cannot_log(cast: Cast, client: Any) -> None:
    assert cast.other_hr is not None
    client.force_login(cast.other_hr)
    assert client.get(QUICK_LOG).status_code == 403


def test_logging_from_the_page(cast: Cast, client: Any) -> None:
    client.force_login(cast.user(Role.EMPLOYEE))
    response = client.post(
        QUICK_LOG, {"how": "watched", "topic": "Ketel reinigen", "minutes": "20"}, follow=True
    )
    body = response.content.decode()
    assert "Logged. Your manager confirms it." in body
    log = QuickLog.objects.get()
    assert (log.employee, log.how, log.minutes, log.date) == (
        cast.employees[Role.EMPLOYEE],
        "watched",
        20,
        timezone.localdate(),
    )
    assert "Ketel reinigen" in body  # the recent logs below the form


def test_a_bad_log_shows_its_messages(cast: Cast, client: Any) -> None:
    client.force_login(cast.user(Role.EMPLOYEE))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(QUICK_LOG, {"topic": "", "minutes": "900", "date": tomorrow})
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors == {
        "how": ["Choose how you learned."],
        "topic": ["Write in a few words what you learned."],
        "minutes": ["Enter the minutes as a whole number from 1 to 480 (eight hours)."],
    }
    response = client.post(
        QUICK_LOG, {"how": "read", "topic": "Fiche", "minutes": "5", "date": tomorrow}
    )
    assert response.context["form"].errors == {"date": ["The day cannot be in the future."]}
    assert not QuickLog.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.MANAGER, 200), (Role.HR, 200), (Role.EMPLOYEE, 403), (Role.MENTOR, 403)],
)
def test_who_opens_the_review(cast: Cast, client: Any, role: Role, status: int) -> None:
    client.force_login(cast.user(role))
    assert client.get(REVIEW).status_code == status


def test_the_manager_sees_his_units_logs_but_not_his_own(cast: Cast, client: Any) -> None:
    worker_log = quick_log(cast, topic="Filmrol wisselen")
    quick_log(cast, employee=cast.employees[Role.MANAGER], topic="Mijn eigen les")
    quick_log(cast, employee=cast.employees[Role.ADMIN], topic="Kantoorzaken")
    client.force_login(cast.user(Role.MANAGER))
    response = client.get(REVIEW)
    assert [log.pk for log, _checked in response.context["rows"]] == [worker_log.pk]
    body = response.content.decode()
    assert "Mijn eigen les" not in body
    assert "Kantoorzaken" not in body
    assert [line.label for line in response.context["digest"]] == ["Asked a colleague"]


def test_the_manager_confirms_from_the_page(cast: Cast, client: Any) -> None:
    log = quick_log(cast, minutes=90)
    client.force_login(cast.user(Role.MANAGER))
    response = client.post(REVIEW, {"selected": [log.pk], "decision": "confirm"}, follow=True)
    assert "1 log confirmed (1.50 hours)." in response.content.decode()
    log.refresh_from_db()
    assert log.status == QuickLogStatus.CONFIRMED


def test_posting_his_own_log_id_is_refused_on_the_page(cast: Cast, client: Any) -> None:
    own = quick_log(cast, employee=cast.employees[Role.MANAGER])
    client.force_login(cast.user(Role.MANAGER))
    response = client.post(REVIEW, {"selected": [own.pk], "decision": "confirm"})
    assert response.status_code == 422
    assert "You cannot confirm or reject your own log" in response.content.decode()


def test_the_quick_log_pages_keep_their_query_count(
    cast: Cast, client: Any, django_assert_num_queries: Any
) -> None:
    quick_log(cast)
    manager, employee = client, type(client)()
    manager.force_login(cast.user(Role.MANAGER))
    employee.force_login(cast.user(Role.EMPLOYEE))
    manager.get(REVIEW)
    employee.get(QUICK_LOG)
    with django_assert_num_queries(8):
        manager.get(REVIEW)
    with django_assert_num_queries(8):
        employee.get(QUICK_LOG)
    for number in range(15):
        quick_log(cast, topic=f"Les {number}")
        QuickLog.objects.create(
            organisation=cast.organisation,
            employee=person(cast, f"Collega{number}"),
            date=timezone.localdate(),
            how="tried",
            topic="Proberen",
            minutes=15,
        )
    with django_assert_num_queries(8):
        response = manager.get(REVIEW)
    assert len(response.context["rows"]) == 31
    with django_assert_num_queries(8):
        response = employee.get(QUICK_LOG)
    assert len(response.context["logs"]) == 10
