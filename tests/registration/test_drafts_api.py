"""The drafts area of the API: list and decide drafts as HR, post and list one's own quick
logs, a manager decides logs; refusals with the documented shape and a fixed query count."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.people.models import Organisation, User
from leerplek.registration.models import Activity, ActivityStatus, QuickLog, QuickLogStatus
from leerplek.registration.services_drafts import drafts_generate
from tests.api.conftest import ApiClient, make_token
from tests.factories import Cast
from tests.registration.factories_drafts import ended_peter, external_certificate, quick_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(cast: Cast) -> Any:
    """`api_for(Role.HR)` or `api_for(user, organisation)`: a client with a fresh token."""

    def build(who: Role | User, organisation: Organisation | None = None) -> ApiClient:
        user = cast.user(who) if isinstance(who, Role) else who
        return ApiClient(Client(), make_token(user, organisation or cast.organisation))

    return build


def drafted(cast: Cast, count: int = 2) -> list[Activity]:
    for number in range(count):
        external_certificate(cast, title=f"API {number}", issued_on=datetime.date(2025, 5, 2))
    drafts_generate(organisation=cast.organisation)
    return list(Activity.objects.order_by("pk"))


def test_hr_lists_the_drafts(cast: Cast, api_for: Any) -> None:
    rows = drafted(cast)
    response = api_for(Role.HR).get("/registration/drafts", {"year": 2025})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["employee_name"] == "Wout Werker"
    assert first["hours"] == "1.00"
    assert first["source"] == "certificate"
    assert {item["id"] for item in body["items"]} == {row.pk for row in rows}


def test_the_source_filter_of_the_api(cast: Cast, api_for: Any) -> None:
    drafted(cast, 1)
    ended_peter(cast)
    drafts_generate(organisation=cast.organisation)
    body = api_for(Role.HR).get("/registration/drafts", {"source": "guidance"}).json()
    assert [item["source"] for item in body["items"]] == ["guidance"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.CONSULTATION])
def test_others_may_not_list_drafts(cast: Cast, api_for: Any, role: Role) -> None:
    drafted(cast, 1)
    assert api_for(role).get("/registration/drafts").status_code == 403


def test_hr_confirms_drafts_with_corrected_hours(cast: Cast, api_for: Any) -> None:
    first, second = drafted(cast)
    response = api_for(Role.HR).post(
        "/registration/drafts/decide",
        {"ids": [first.pk, second.pk], "decision": "confirm", "hours": {str(first.pk): "3"}},
    )
    assert response.status_code == 200
    assert response.json() == {"count": 2, "hours": "4.00"}
    assert set(Activity.objects.values_list("status", flat=True)) == {ActivityStatus.CONFIRMED}


def test_bad_hours_get_a_422_naming_the_row(cast: Cast, api_for: Any) -> None:
    first, _second = drafted(cast)
    response = api_for(Role.HR).post(
        "/registration/drafts/decide",
        {"ids": [first.pk], "decision": "confirm", "hours": {str(first.pk): "30"}},
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["field"], error["code"]) == (f"hours_{first.pk}", "hours_one_day")
    assert "at most 24 on its one day" in error["message"]
    assert Activity.objects.get(pk=first.pk).status == ActivityStatus.DRAFT


def test_a_worker_posts_and_lists_his_quick_logs(cast: Cast, api_for: Any) -> None:
    client = api_for(Role.EMPLOYEE)
    response = client.post(
        "/registration/quick-logs", {"how": "tried", "topic": "Nieuwe lijmpot", "minutes": 25}
    )
    assert response.status_code == 201
    created = response.json()
    assert (created["how"], created["minutes"], created["status"]) == ("tried", 25, "pending")
    assert created["date"] == timezone.localdate().isoformat()
    mine = client.get("/registration/quick-logs/mine").json()
    assert [item["topic"] for item in mine["items"]] == ["Nieuwe lijmpot"]


def test_a_bad_quick_log_gets_a_422_naming_the_field(cast: Cast, api_for: Any) -> None:
    response = api_for(Role.EMPLOYEE).post(
        "/registration/quick-logs", {"how": "tried", "topic": "Iets", "minutes": 0}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "minutes",
            "message": "Enter the minutes as a whole number from 1 to 480 (eight hours).",
            "code": "minutes",
        }
    ]
    assert not QuickLog.objects.exists()


def test_a_user_without_a_person_record_cannot_log(cast: Cast, api_for: Any) -> None:
    assert cast.other_hr is not None
    assert cast.other_organisation is not None
    client = api_for(cast.other_hr, cast.other_organisation)
    response = client.post(
        "/registration/quick-logs", {"how": "read", "topic": "Iets", "minutes": 5}
    )
    assert response.status_code == 404
    assert client.get("/registration/quick-logs/mine").status_code == 404


def test_the_manager_decides_logs_through_the_api(cast: Cast, api_for: Any) -> None:
    log = quick_log(cast, minutes=60)
    own = quick_log(cast, employee=cast.employees[Role.MANAGER])
    client = api_for(Role.MANAGER)
    refused = client.post(
        "/registration/quick-logs/decide", {"ids": [own.pk], "decision": "confirm"}
    )
    assert refused.status_code == 422
    response = client.post(
        "/registration/quick-logs/decide", {"ids": [log.pk], "decision": "confirm"}
    )
    assert response.json() == {"count": 1, "hours": "1.00"}
    log.refresh_from_db()
    assert log.status == QuickLogStatus.CONFIRMED
    assert (
        api_for(Role.EMPLOYEE)
        .post("/registration/quick-logs/decide", {"ids": [own.pk], "decision": "confirm"})
        .status_code
        == 403
    )


def test_the_draft_list_keeps_its_query_count(
    cast: Cast, api_for: Any, django_assert_num_queries: Any
) -> None:
    drafted(cast, 2)
    client = api_for(Role.HR)
    client.get("/registration/drafts")
    with django_assert_num_queries(7) as small:
        client.get("/registration/drafts")
    drafted(cast, 12)
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get("/registration/drafts").json()
    assert body["count"] == 14
    assert all(item["hours"] == "1.00" for item in body["items"])
    assert Decimal(body["items"][0]["hours"]) == Decimal("1")
