"""The social balance through the API: the 24 codes of a year, frozen for a closed year; who may
read them; a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from leerplek.core.roles import Role
from leerplek.registration import services_sb
from leerplek.registration.models import Activity, CostKind, CostLine
from tests.api.conftest import ApiClient, make_token
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_sb import acting, sb_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(cast: Cast) -> Any:
    def build(role: Role) -> ApiClient:
        return ApiClient(Client(), make_token(cast.user(role), cast.organisation))

    return build


def test_the_24_codes_of_a_year(cast: Cast, api_for: Any) -> None:
    sb_world(cast)
    body = api_for(Role.HR).get("/registration/social-balance/2025").json()
    assert (body["start"], body["end"], body["closed"]) == ("2025-01-01", "2025-12-31", False)
    assert len(body["figures"]) == 24
    assert body["figures"]["5801"] == "2"
    assert body["figures"]["5803"] == "1218.57"
    assert body["figures"]["5853"] == "1666.67"
    line = next(item for item in body["lines"] if item["code"] == "58132")
    assert line == {
        "code": "58132",
        "category": "formal",
        "line": "contributions",
        "column": "f",
        "label": "of which contributions paid and payments to collective funds",
        "value": "616.43",
    }
    assert body["differ"] == []


def test_a_closed_year_gives_its_frozen_figures_and_what_differs(cast: Cast, api_for: Any) -> None:
    sb_world(cast)
    services_sb.year_close(
        year=services_sb.financial_year_get_or_create(cast.organisation, 2025),
        by=acting(cast, Role.HR),
    )
    CostLine.objects.create(
        activity=Activity.objects.get(title="Heftruck"), kind=CostKind.EXTERNAL, amount=100
    )
    body = api_for(Role.CONSULTATION).get("/registration/social-balance/2025").json()
    assert body["closed"] is True
    assert body["figures"]["58031"] == "945.00"
    assert body["differ"] == ["5803", "5813", "58031", "58131"]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE])
def test_others_may_not_read_it(cast: Cast, api_for: Any, role: Role) -> None:
    assert api_for(role).get("/registration/social-balance/2025").status_code == 403


def test_a_year_out_of_range_is_refused(cast: Cast, api_for: Any) -> None:
    assert api_for(Role.HR).get("/registration/social-balance/1200").status_code == 422


def test_the_query_count_does_not_grow(
    cast: Cast, api_for: Any, django_assert_max_num_queries: Any
) -> None:
    api = api_for(Role.HR)

    def grow(first: int, n: int) -> None:
        for i in range(first, first + n):
            people = [person(cast, f"A{i}-{k}", "f" if k else "m") for k in range(2)]
            activity(
                cast,
                f"Api {i}",
                on=datetime.date(2025, 1, 2) + datetime.timedelta(days=i),
                participants=[(p, 2) for p in people],
                costs=[(CostKind.EXTERNAL, "20.00")],
            )

    grow(0, 2)
    with django_assert_max_num_queries(14) as small:
        assert api.get("/registration/social-balance/2025").status_code == 200
    grow(2, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get("/registration/social-balance/2025").status_code == 200
