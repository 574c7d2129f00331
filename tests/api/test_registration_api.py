"""The registration API: an activity registered with a participant and a cost line, refusals
named by field, scope, and the social balance keyed by code."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from leerplek.core.roles import Role
from leerplek.registration.models import Activity
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.test_social_balance import small_world

pytestmark = pytest.mark.django_db


def test_register_an_activity_with_a_participant_and_a_cost(cast: Cast, api_for: Any) -> None:
    api = api_for(cast.user(Role.HR))
    response = api.post(
        "/registration/activities",
        {
            "title": "VCA",
            "category": "formal",
            "organiser_kind": "external",
            "organiser_name": "Securex",
            "start_date": "2026-02-02",
            "duration_hours": "8.00",
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["end_date"] == "2026-02-02"
    worker = cast.worker
    assert worker is not None
    path = f"/registration/activities/{created['id']}"
    response = api.post(f"{path}/participants", {"employee": worker.pk, "hours": "8.00"})
    assert response.status_code == 201, response.content
    response = api.post(f"{path}/costs", {"kind": "external", "amount": "240.00"})
    assert response.status_code == 201
    detail = api.get(path).json()
    assert detail["hours"] == "8.00"
    assert [line["amount"] for line in detail["cost_lines"]] == ["240.00"]


def test_refusals_name_their_field(cast: Cast, api_for: Any) -> None:
    api = api_for(cast.user(Role.HR))
    response = api.post(
        "/registration/activities",
        {"title": "Meedraaien", "category": "informal", "start_date": "2026-02-02"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "informal_kind"
    item = activity(cast, duration_hours=4)
    response = api.post(
        f"/registration/activities/{item.pk}/costs",
        {"kind": "external", "amount": "10.00", "currency": "USD"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "currency"
    assert Activity.objects.count() == 1


def test_a_manager_reads_only_activities_of_his_people(cast: Cast, api_for: Any) -> None:
    activity(cast, "Binnen", participants=[(person(cast, "In", unit=cast.packaging), 2)])
    outside = activity(cast, "Buiten", participants=[(person(cast, "Uit", unit=cast.office), 2)])
    api = api_for(cast.user(Role.MANAGER))
    titles = [item["title"] for item in api.get("/registration/activities").json()["items"]]
    assert titles == ["Binnen"]
    assert api.get(f"/registration/activities/{outside.pk}").status_code == 404
    assert api.post("/registration/activities", {}).status_code in (403, 422)


def test_the_social_balance_by_code(cast: Cast, api_for: Any) -> None:
    small_world(cast)
    body = api_for(cast.user(Role.HR)).get("/registration/social-balance/2025").json()
    assert body["end"] == datetime.date(2025, 12, 31).isoformat()
    assert len(body["figures"]) == 24
    assert body["figures"]["5801"] == "2"
    assert body["figures"]["5853"] == "1770.59"
