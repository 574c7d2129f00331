"""HR confirms or rejects drafts in bulk (REG-08): status, who and when, corrected hours with
their validation naming the row's field, all or nothing, the audit entry and closed years."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.registration.models import (
    Activity,
    ActivityStatus,
    FinancialYear,
    Participation,
    YearStatus,
)
from leerplek.registration.services_drafts import drafts_decide, drafts_generate
from tests.factories import Cast
from tests.registration.factories_drafts import acting_user, ended_peter, external_certificate

pytestmark = pytest.mark.django_db


def drafted(cast: Cast, count: int = 2) -> list[Activity]:
    for number in range(count):
        external_certificate(
            cast, title=f"Certificaat {number}", issued_on=datetime.date(2025, 5, 2)
        )
    drafts_generate(organisation=cast.organisation)
    return list(Activity.objects.order_by("pk"))


def decide(cast: Cast, rows: list[Activity], decision: str = "confirm", **kw: object) -> object:
    return drafts_decide(
        organisation=cast.organisation,
        ids=[row.pk for row in rows],
        decision=decision,
        by=acting_user(cast, Role.HR),
        **kw,  # type: ignore[arg-type]
    )


def test_confirming_sets_status_who_and_when(cast: Cast) -> None:
    rows = drafted(cast)
    done = decide(cast, rows)
    assert (done.count, done.hours) == (2, Decimal("2.00"))  # type: ignore[attr-defined]
    for row in Activity.objects.all():
        assert row.status == ActivityStatus.CONFIRMED
        assert row.confirmed_by == cast.user(Role.HR)
        assert row.confirmed_at is not None
    entry = AuditEntry.objects.get(action="registration.drafts_confirmed")
    assert entry.after["ids"] == [row.pk for row in rows]


def test_rejecting_keeps_the_rows_as_rejected(cast: Cast) -> None:
    rows = drafted(cast)
    decide(cast, rows[:1], "reject")
    assert list(Activity.objects.order_by("pk").values_list("status", flat=True)) == [
        ActivityStatus.REJECTED,
        ActivityStatus.DRAFT,
    ]
    assert Activity.objects.get(pk=rows[0].pk).confirmed_by is None
    assert AuditEntry.objects.filter(action="registration.drafts_rejected").count() == 1


def test_corrected_hours_are_saved_on_confirming(cast: Cast) -> None:
    ended_peter(cast, weeks=2)
    drafts_generate(organisation=cast.organisation)
    row = Activity.objects.get()
    decide(cast, [row], hours={row.pk: "3,5"})
    row.refresh_from_db()
    assert row.participations.get().hours == Decimal("3.50")
    assert row.duration_hours == Decimal("3.50")
    entry = AuditEntry.objects.get(action="registration.drafts_confirmed")
    assert entry.before["hours"] == {str(row.pk): "2.00"}
    assert entry.after["hours"] == {str(row.pk): "3.50"}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "-2",
            "Hours of External certificate “Certificaat 0” (Wout Werker): enter more than zero "
            "hours, or reject the draft.",
        ),
        (
            "25",
            "Hours of External certificate “Certificaat 0” (Wout Werker): at most 24 on its one "
            "day.",
        ),
        (
            "seven",
            "Hours of External certificate “Certificaat 0” (Wout Werker): enter a number with "
            "at most two decimals, e.g. 7.5.",
        ),
        (
            "1.255",
            "Hours of External certificate “Certificaat 0” (Wout Werker): enter a number with "
            "at most two decimals, e.g. 7.5.",
        ),
    ],
)
def test_bad_hours_name_the_rows_field_and_save_nothing(
    cast: Cast, typed: str, message: str
) -> None:
    rows = drafted(cast)
    with pytest.raises(ValidationError) as caught:
        decide(cast, rows, hours={rows[0].pk: typed, rows[1].pk: "2"})
    assert caught.value.message_dict == {f"hours_{rows[0].pk}": [message]}
    assert set(Activity.objects.values_list("status", flat=True)) == {ActivityStatus.DRAFT}
    assert set(Participation.objects.values_list("hours", flat=True)) == {Decimal("1.00")}
    assert not AuditEntry.objects.filter(action__startswith="registration.drafts_c").exists()


def test_hours_of_a_longer_activity_may_reach_24_per_day(cast: Cast) -> None:
    ended_peter(cast, weeks=1)  # seven days
    drafts_generate(organisation=cast.organisation)
    row = Activity.objects.get()
    with pytest.raises(ValidationError) as caught:
        decide(cast, [row], hours={row.pk: "168.01"})
    assert caught.value.message_dict[f"hours_{row.pk}"] == [
        "Hours of Peter/meter with Piet Peter (Nina Nieuw): at most 24 per day, so at most "
        "168.00 over its 7 days."
    ]
    decide(cast, [row], hours={row.pk: "168"})
    assert row.participations.get().hours == Decimal("168.00")


def test_every_bad_row_is_reported_at_once(cast: Cast) -> None:
    rows = drafted(cast)
    with pytest.raises(ValidationError) as caught:
        decide(cast, rows, hours={rows[0].pk: "-1", rows[1].pk: "99"})
    assert set(caught.value.message_dict) == {f"hours_{rows[0].pk}", f"hours_{rows[1].pk}"}


def test_nothing_selected_is_refused(cast: Cast) -> None:
    drafted(cast)
    with pytest.raises(ValidationError) as caught:
        decide(cast, [])
    assert caught.value.message_dict == {"selected": ["Select at least one row first."]}


def test_an_unknown_decision_is_refused(cast: Cast) -> None:
    rows = drafted(cast)
    with pytest.raises(ValidationError) as caught:
        decide(cast, rows, "approve")
    assert caught.value.message_dict == {"decision": ["Choose confirm or reject."]}


def test_a_row_decided_meanwhile_refuses_the_whole_batch(cast: Cast) -> None:
    rows = drafted(cast)
    decide(cast, rows[:1])
    with pytest.raises(ValidationError) as caught:
        decide(cast, rows, "reject")
    assert caught.value.message_dict["selected"][0].startswith("Some selected rows (1)")
    assert Activity.objects.get(pk=rows[1].pk).status == ActivityStatus.DRAFT


def test_another_organisations_draft_cannot_be_decided(cast: Cast) -> None:
    rows = drafted(cast)
    assert cast.other_organisation is not None
    with pytest.raises(ValidationError):
        drafts_decide(
            organisation=cast.other_organisation,
            ids=[rows[0].pk],
            decision="confirm",
            by=acting_user(cast, Role.HR),
        )


def test_only_hr_confirms_drafts(cast: Cast) -> None:
    rows = drafted(cast)
    with pytest.raises(PermissionDenied):
        drafts_decide(
            organisation=cast.organisation,
            ids=[rows[0].pk],
            decision="confirm",
            by=acting_user(cast, Role.MANAGER),
        )
    assert Activity.objects.get(pk=rows[0].pk).status == ActivityStatus.DRAFT


def test_a_draft_in_a_closed_year_is_refused(cast: Cast) -> None:
    rows = drafted(cast, 1)
    FinancialYear.objects.create(
        organisation=cast.organisation,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        status=YearStatus.CLOSED,
    )
    with pytest.raises(ValidationError) as caught:
        decide(cast, rows)
    assert "closed for the social balance" in caught.value.message_dict["selected"][0]
