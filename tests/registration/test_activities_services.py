"""The rules of the activities area, each bad input refused with a message on its field and
nothing written: the activity (category, dates, exclusion, extra fields), participants
(employment, hours), cost lines (amount, euro, participant), a closed year; the initial-training
flags; the net cost; and the extra fields' own services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import PersonType
from leerplek.registration import services_activities as services
from leerplek.registration.models import (
    Activity,
    CostLine,
    ExtraField,
    FinancialYear,
    Participation,
    YearStatus,
)
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_activities import hr

pytestmark = pytest.mark.django_db

BASE: dict[str, Any] = {
    "title": "Heftruck",
    "category": "formal",
    "organiser_kind": "internal",
    "start_date": datetime.date(2025, 3, 10),
    "end_date": datetime.date(2025, 3, 11),
}


def create(cast: Cast, **values: Any) -> Activity:
    return services.activity_create(
        organisation=cast.organisation, by=hr(cast), **{**BASE, **values}
    )


def refused(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": " "}, "title", "Give the activity a title."),
        ({"category": "workshop"}, "category", "Choose formal, informal or initial."),
        ({"category": "informal"}, "informal_kind", "Choose the kind of informal learning."),
        (
            {"end_date": datetime.date(2025, 3, 9)},
            "end_date",
            "The end date cannot be before the start date.",
        ),
        (
            {"organiser_kind": "external", "organiser_name": ""},
            "organiser_name",
            "Name the external organiser of a formal training.",
        ),
        (
            {"organiser_kind": "abroad"},
            "organiser_kind",
            "Choose an internal or external organiser.",
        ),
        ({"exclusion": "other"}, "exclusion_note", "Say why this activity does not count."),
        ({"duration_hours": "7.555"}, "duration_hours", "The duration has at most two decimals."),
        ({"duration_hours": "-1"}, "duration_hours", "The duration cannot be negative."),
    ],
)
def test_a_bad_activity_is_refused_on_its_field(
    cast: Cast, values: dict[str, Any], field: str, message: str
) -> None:
    assert refused(lambda: create(cast, **values)) == {field: [message]}
    assert not Activity.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="registration.").exists()


def test_informal_kind_is_dropped_outside_informal_and_saved_for_it(cast: Cast) -> None:
    formal = create(cast, informal_kind="coaching")
    informal = create(cast, title="Coaching", category="informal", informal_kind="coaching")
    assert (formal.informal_kind, informal.informal_kind) == ("", "coaching")
    assert AuditEntry.objects.filter(action="registration.activity_created").count() == 2


def test_an_initial_activity_that_misses_the_definition_is_saved_but_flagged(cast: Cast) -> None:
    short = create(cast, category="initial", end_date=datetime.date(2025, 6, 30))
    assert services.initial_flags(short) == [
        "Shorter than 6 months: initial training lasts at least that long.",
        "Not partly on the shop floor.",
        "Does not lead to a recognised certificate or diploma.",
    ]
    proper = create(
        cast,
        category="initial",
        end_date=datetime.date(2025, 9, 9),
        partly_on_shop_floor=True,
        leads_to_qualification=True,
    )
    assert services.initial_flags(proper) == []


def test_a_required_or_badly_typed_extra_field_is_refused(cast: Cast) -> None:
    ExtraField.objects.create(
        organisation=cast.organisation, key="budget", label="Budget", kind="number", required=True
    )
    assert refused(lambda: create(cast, extra={})) == {"extra_budget": ["Fill in Budget."]}
    assert refused(lambda: create(cast, extra={"budget": "veel"})) == {
        "extra_budget": ["Budget must be a number."]
    }
    assert create(cast, extra={"budget": "12,5"}).extra == {"budget": "12.50"}


def test_participant_rules(cast: Cast) -> None:
    item = activity(cast, on=datetime.date(2025, 3, 10), days=2, duration_hours=Decimal("8.00"))
    worker = person(cast, "Wout")
    later = person(cast, "Later", hire_date=datetime.date(2025, 4, 1))
    left = person(cast, "Weg", exit_date=datetime.date(2025, 3, 1))
    by = hr(cast)

    def add(employee: Any, hours: Any) -> Any:
        return lambda: services.participant_add(
            activity=item, by=by, employee=employee, hours=hours
        )

    assert refused(add(worker, "-1")) == {"hours": ["Hours cannot be negative."]}
    assert refused(add(worker, "8.5")) == {
        "hours": ["At most 8.00 hours: the duration of the activity."]
    }
    assert refused(add(worker, "1.234")) == {"hours": ["The hours has at most two decimals."]}
    assert refused(add(later, "2")) == {
        "employee": ["Later Test was not employed between 10/03/2025 and 11/03/2025."]
    }
    assert "employee" in refused(add(left, "2"))
    assert not Participation.objects.exists()
    services.participant_add(activity=item, by=by, employee=worker, hours="7.5")
    assert refused(add(worker, "1")) == {
        "employee": ["This person already takes part in this activity."]
    }


def test_an_agency_worker_is_allowed_on_a_formal_activity(cast: Cast) -> None:
    item = activity(cast)
    agent = person(cast, "Uitzend", person_type=PersonType.AGENCY)
    row = services.participant_add(activity=item, by=hr(cast), employee=agent, hours="4")
    assert row.employee.person_type == PersonType.AGENCY


def test_cost_line_rules_and_net_cost(cast: Cast) -> None:
    worker = person(cast, "Wout")
    stranger = person(cast, "Vreemd")
    item = activity(cast, participants=[(worker, 4)])
    by = hr(cast)

    def add(**values: Any) -> Any:
        return lambda: services.cost_line_add(activity=item, by=by, **values)

    assert refused(add(kind="external", amount=None)) == {"amount": ["Give the amount."]}
    assert "amount" in refused(add(kind="external", amount="-3"))
    assert refused(add(kind="external", amount="10", currency="USD")) == {
        "currency": ["Amounts are in euro; convert USD first."]
    }
    assert refused(add(kind="external", amount="10", employee=stranger)) == {
        "employee": ["Choose one of the activity's participants."]
    }
    assert refused(add(kind="gift", amount="10")) == {"kind": ["Choose the kind of cost."]}
    assert not CostLine.objects.exists()
    for kind, amount in [
        ("trainee_pay", "300.10"),
        ("external", "450"),
        ("travel", "20.05"),
        ("contribution", "40"),
        ("subsidy", "225.50"),
    ]:
        services.cost_line_add(activity=item, by=by, kind=kind, amount=amount)
    totals = services.net_cost(item)
    assert (totals.gross, totals.contributions, totals.subsidies, totals.net) == (
        Decimal("770.15"),
        Decimal("40.00"),
        Decimal("225.50"),
        Decimal("584.65"),
    )


def test_nothing_changes_in_a_closed_year(cast: Cast) -> None:
    worker = person(cast, "Wout")
    item = activity(cast, participants=[(worker, 4)], costs=[("external", "5")])
    FinancialYear.objects.create(
        organisation=cast.organisation,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        status=YearStatus.CLOSED,
    )
    by = hr(cast)
    message = (
        "The financial year of 10/03/2025 is closed for the social balance; HR reopens it, "
        "with a reason, before anything changes."
    )
    assert refused(lambda: services.activity_update(activity=item, by=by, title="Nieuw")) == {
        "end_date": [message]
    }
    assert "end_date" in refused(
        lambda: services.participant_update(
            participation=item.participations.get(), by=by, hours="1"
        )
    )
    assert "end_date" in refused(
        lambda: services.cost_line_remove(line=item.cost_lines.get(), by=by)
    )
    assert "end_date" in refused(lambda: create(cast))
    item.refresh_from_db()
    assert item.title == "Heftruckcursus"


def test_a_line_manager_may_not_write(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.activity_create(organisation=cast.organisation, by=hr(cast, Role.MANAGER), **BASE)


# --- Extra fields ---------------------------------------------------------------------------------


def test_an_extra_field_is_created_with_a_key_from_its_label(cast: Cast) -> None:
    field = services.extra_field_create(
        organisation=cast.organisation, by=hr(cast), label="Dossier fonds", kind="text"
    )
    assert (field.key, field.active) == ("dossier_fonds", True)
    assert AuditEntry.objects.get(action="registration.extra_field_created").after["key"] == (
        "dossier_fonds"
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"label": ""}, "label", "Give the field a label, e.g. Training budget code."),
        (
            {"label": "Budget", "key": "Budget Code!"},
            "key",
            "Use only lower-case letters, digits and underscores in the key, e.g. budget_code.",
        ),
        (
            {"label": "Fonds", "kind": "choice"},
            "choices",
            "Give at least one choice, one per line.",
        ),
        ({"label": "Fonds", "kind": "colour"}, "kind", "Choose a kind of field from the list."),
        (
            {"label": "Fonds", "position": "-1"},
            "position",
            "The position is a number from 0 to 32767.",
        ),
        (
            {"label": "Dubbel", "key": "budget"},
            "key",
            "Another field has the key budget; choose another.",
        ),
    ],
)
def test_a_bad_extra_field_is_refused_on_its_field(
    cast: Cast, values: dict[str, Any], field: str, message: str
) -> None:
    ExtraField.objects.create(organisation=cast.organisation, key="budget", label="Budget")
    call = lambda: services.extra_field_create(  # noqa: E731
        organisation=cast.organisation, by=hr(cast), **values
    )
    assert refused(call) == {field: [message]}
    assert ExtraField.objects.count() == 1


def test_an_extra_field_keeps_its_key_and_kind_and_can_be_deactivated(cast: Cast) -> None:
    by = hr(cast)
    field = services.extra_field_create(
        organisation=cast.organisation, by=by, label="Niveau", kind="choice", choices="A\nB\nA"
    )
    assert field.choices == "A\nB"
    assert "kind" in refused(lambda: services.extra_field_update(field=field, by=by, kind="text"))
    changed = services.extra_field_update(field=field, by=by, label="Niveau (fonds)", key="x")
    assert (changed.label, changed.key) == ("Niveau (fonds)", "niveau")
    services.extra_field_deactivate(field=changed, by=by)
    assert "active" in refused(lambda: services.extra_field_deactivate(field=changed, by=by))
    assert not ExtraField.objects.get().active
    with pytest.raises(PermissionDenied):
        services.extra_field_deactivate(field=changed, by=hr(cast, Role.MANAGER))
