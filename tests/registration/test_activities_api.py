"""The activities area of the registration API: participants and cost lines listed per activity,
a participant's hours changed under the page's rules, rows removed, the extra fields; scope,
refusals by field, and query counts that stay flat as an activity grows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.registration.models import CostLine, ExtraField, FinancialYear, Participation
from tests.api.conftest import ApiClient, make_token
from tests.factories import Cast
from tests.registration.factories import activity, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(cast: Cast) -> Any:
    """`api_for(user)` or `api_for(user, organisation)`: an API client with a fresh token."""

    def build(user: Any, organisation: Any = None) -> ApiClient:
        return ApiClient(Client(), make_token(user, organisation or cast.organisation))

    return build


def course(cast: Cast, participants: int = 2, **fields: Any) -> Any:
    people = [
        person(cast, f"P{index}", last_name=f"Naam{index:02}") for index in range(participants)
    ]
    return activity(
        cast,
        "VCA",
        participants=[(someone, 4) for someone in people],
        costs=[("external", "100.00"), ("subsidy", "25.00", people[0])],
        duration_hours=Decimal("8"),
        **fields,
    )


def test_participants_and_cost_lines_of_an_activity_are_listed(cast: Cast, api_for: Any) -> None:
    item = course(cast)
    api = api_for(cast.user(Role.HR))

    people = api.get("/registration/participations", {"activity": item.pk}).json()
    costs = api.get("/registration/cost-lines", {"activity": item.pk}).json()

    assert people["count"] == 2
    assert [row["hours"] for row in people["items"]] == ["4.00", "4.00"]
    assert [(row["kind"], row["amount"]) for row in costs["items"]] == [
        ("external", "100.00"),
        ("subsidy", "25.00"),
    ]


def test_a_manager_lists_only_activities_of_his_people(cast: Cast, api_for: Any) -> None:
    outside = activity(cast, "Buiten", participants=[(person(cast, "Uit", unit=cast.office), 2)])
    api = api_for(cast.user(Role.MANAGER))

    assert api.get("/registration/participations", {"activity": outside.pk}).status_code == 404
    assert api.get("/registration/cost-lines", {"activity": outside.pk}).status_code == 404
    line = CostLine.objects.create(activity=outside, kind="travel", amount=3)
    assert api.send("delete", f"/registration/cost-lines/{line.pk}", {}).status_code == 403


def test_another_organisations_activity_does_not_exist(cast: Cast, api_for: Any) -> None:
    item = course(cast)
    assert cast.other_hr is not None
    assert cast.other_organisation is not None
    api = api_for(cast.other_hr, cast.other_organisation)

    assert api.get("/registration/participations", {"activity": item.pk}).status_code == 404
    row = item.participations.first()
    assert api.patch(f"/registration/participations/{row.pk}", {"hours": "1"}).status_code == 404


def test_changing_hours_follows_the_rules_and_is_audited(cast: Cast, api_for: Any) -> None:
    item = course(cast)
    row = item.participations.order_by("id").first()
    api = api_for(cast.user(Role.HR))

    refused = api.patch(f"/registration/participations/{row.pk}", {"hours": "9.00"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "hours"
    row.refresh_from_db()
    assert row.hours == Decimal("4.00")

    changed = api.patch(
        f"/registration/participations/{row.pk}", {"hours": "7.5", "status": "not_followed"}
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["hours"], changed.json()["status"]) == ("7.50", "not_followed")
    entry = AuditEntry.objects.get(action="registration.participant_changed")
    assert entry.after == {"hours": "7.50", "status": "not_followed"}


def test_removing_rows_is_refused_in_a_closed_year(cast: Cast, api_for: Any) -> None:
    item = course(cast)
    api = api_for(cast.user(Role.HR))
    line = item.cost_lines.order_by("id").first()
    assert api.send("delete", f"/registration/cost-lines/{line.pk}", {}).status_code == 204
    FinancialYear.objects.create(
        organisation=cast.organisation,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        status="closed",
    )
    row = item.participations.first()

    refused = api.send("delete", f"/registration/participations/{row.pk}", {})

    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "end_date"
    assert "closed" in refused.json()["detail"][0]["message"]
    assert Participation.objects.filter(pk=row.pk).exists()


def test_the_extra_fields_are_listed(cast: Cast, api_for: Any) -> None:
    ExtraField.objects.create(
        organisation=cast.organisation, key="budget", label="Budget", kind="choice", choices="A\nB"
    )
    body = api_for(cast.user(Role.HR)).get("/registration/extra-fields").json()
    assert [(row["key"], row["choices"]) for row in body] == [("budget", ["A", "B"])]


@pytest.mark.parametrize("path", ["/registration/participations", "/registration/cost-lines"])
def test_lists_keep_their_query_count(
    cast: Cast, api_for: Any, django_assert_max_num_queries: Any, path: str
) -> None:
    item = course(cast, participants=2)
    api = api_for(cast.user(Role.HR))
    with django_assert_max_num_queries(12) as small:
        assert api.get(path, {"activity": item.pk}).status_code == 200
    for index in range(20):
        someone = person(cast, f"Q{index}")
        Participation.objects.create(activity=item, employee=someone, hours=1)
        CostLine.objects.create(activity=item, kind="travel", amount=2, employee=someone)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(path, {"activity": item.pk}).status_code == 200
