"""The plan API: needs (list, summary without names, create within scope), plans and lines with
the same planned-against-realised figures as the page, refusals and query bounds."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from leerplek.core.roles import Role
from leerplek.registration import services_plan
from leerplek.registration.models import SubmittedNeed
from tests.api.conftest import ApiClient, make_token
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_plan import acting, competence, gap_need, plan_with_lines

pytestmark = pytest.mark.django_db
D = datetime.date


def api(cast: Cast, role: Role) -> ApiClient:
    return ApiClient(Client(), make_token(cast.user(role), cast.organisation))


def test_hr_lists_needs_with_the_person_and_the_suggestion(cast: Cast) -> None:
    skill = competence(cast, "SAM", "Samenwerken", kind="general")
    need = gap_need(cast, cast.worker, skill)
    body = api(cast, Role.HR).get("/registration/needs", {"kind": "gap"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == need.pk
    assert item["person"]["name"] == str(cast.worker)
    assert item["competence"]["name"] == "Samenwerken"
    assert item["suggested_form"] == "on_the_job"
    assert item["resolution"] is None


def test_the_body_gets_the_summary_but_not_the_list(cast: Cast) -> None:
    greta = person(cast, "Greta", last_name="Geheimnaam")
    gap_need(cast, greta, competence(cast, "HEF", "Heftruck"))
    council = api(cast, Role.CONSULTATION)
    assert council.get("/registration/needs").status_code == 403
    response = council.get("/registration/needs/summary", {"year": 2026})
    assert response.status_code == 200
    assert response.json() == [
        {
            "kind": "gap",
            "source": "Competence gap",
            "subject": "Heftruck",
            "target_group": "Verpakking",
            "count": None,
            "resolved": None,
        }
    ]
    assert "Geheimnaam" not in response.content.decode()


def test_a_need_is_put_forward_within_the_callers_scope(cast: Cast) -> None:
    employee = api(cast, Role.EMPLOYEE)
    response = employee.post(
        "/registration/needs",
        {"year": 2027, "description": "Etiketteermachine", "target_group": "Ploeg B"},
    )
    assert response.status_code == 201
    assert response.json()["source"] == "employee"
    refused = employee.post(
        "/registration/needs",
        {"year": 2027, "description": "Excel", "employee": cast.worker.pk},  # type: ignore[union-attr]
    )
    assert refused.status_code == 422
    assert "employee" in refused.content.decode()
    missing = employee.post("/registration/needs", {"year": 2027, "description": "Excel"})
    assert missing.status_code == 422
    assert "target_group" in missing.content.decode()
    assert SubmittedNeed.objects.count() == 1


def test_the_plan_has_the_pages_figures(cast: Cast) -> None:
    plan, forklift, _kettle = plan_with_lines(cast)
    ann = person(cast, "Ann", "f")
    activity(
        cast, "Heftruck", on=D(2026, 3, 2), plan_line=forklift, participants=[(ann, "7.60")],
        costs=[("external", "400"), ("subsidy", "50")],
    )  # fmt: skip
    hr = api(cast, Role.HR)
    assert [item["year"] for item in hr.get("/registration/plans").json()["items"]] == [2026]
    body = hr.get(f"/registration/plans/{plan.pk}").json()
    assert body["figures"] == {
        "planned_participants": 10,
        "participants": 1,
        "planned_hours": "141.60",
        "hours": "7.60",
        "planned_cost": "3000.00",
        "cost": "350.00",
    }
    assert body["hours_by_month"][2] == "7.60"
    assert [step["key"] for step in body["deadlines"]] == ["shared", "advice", "in_force", "filed"]
    line = hr.get(f"/registration/plan-lines/{forklift.pk}").json()
    assert (line["figures"]["hours"], line["risk_groups"]) == ("7.60", ["50_plus", "low_skilled"])
    assert len(hr.get(f"/registration/plans/{plan.pk}/lines").json()) == 2
    assert api(cast, Role.EMPLOYEE).get(f"/registration/plans/{plan.pk}").status_code == 403
    assert cast.other_hr is not None
    assert cast.other_organisation is not None
    stranger = ApiClient(Client(), make_token(cast.other_hr, cast.other_organisation))
    assert stranger.get(f"/registration/plans/{plan.pk}").status_code == 404
    assert stranger.get(f"/registration/plan-lines/{forklift.pk}").status_code == 404


def test_the_lists_keep_their_query_count(cast: Cast, django_assert_max_num_queries: Any) -> None:
    plan, forklift, _kettle = plan_with_lines(cast)
    hr = acting(cast, Role.HR)
    skill = competence(cast, "X", "X")

    def grow(count: int) -> None:
        for number in range(count):
            someone = person(cast, f"P{number}")
            need = gap_need(cast, someone, skill)
            services_plan.need_resolve(
                need=need, by=hr, learning_form="external", plan_line=forklift
            )
            services_plan.need_submit(
                organisation=cast.organisation, by=hr, year=2026, description=f"N{number}",
                employee=someone,
            )  # fmt: skip

    grow(1)
    client = api(cast, Role.HR)
    paths = [
        "/registration/needs?year=2026",
        "/registration/needs?kind=gap",
        f"/registration/plans/{plan.pk}",
    ]
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(20) as small:
            assert client.get(path).status_code == 200
        counts[path] = len(small.captured_queries)
    grow(15)
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            assert client.get(path).status_code == 200
