"""The competences API: every endpoint, as every role, within one organisation only, with the
same rules as the pages and a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leerplek.competences import services
from leerplek.competences.models import (
    Assessment,
    Competence,
    CompetenceGroup,
    LevelScale,
    Requirement,
)
from leerplek.core.access import load_access
from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.people.models import Employee
from tests.api.conftest import ApiClient, ids
from tests.competences.factories import DAY, assess, competence, level
from tests.factories import Cast, EmployeeFactory, JobFactory, WorkstationFactory, make_unit

DENIED = {"detail": "Your role does not allow this."}


def error_fields(response: Any) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in response.json()["detail"]]


def require_u(cast: Cast, what: Competence, ideal: int = 0, **target: Any) -> Requirement:
    target = target or {"job": cast.job}
    return services.requirement_set(
        competence=what,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        ideal_count=ideal,
        **target,
    )


def numeric_scale(cast: Cast) -> LevelScale:
    scale = LevelScale.objects.create(organisation=cast.organisation, name="1-5")
    for rank in range(1, 6):
        scale.levels.create(code=str(rank), rank=rank, name=f"Level {rank}")
    return scale


def queries(run: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = run()
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def more_people(cast: Cast, what: Competence, count: int) -> None:
    """`count` more packaging people with the cast's function, each assessed on `what`."""
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    require_u(cast, what, workstation=station)
    for number in range(count):
        person = EmployeeFactory(
            organisation=cast.organisation,
            unit=cast.packaging,
            job=cast.job,
            workstation=station,
            last_name=f"Extra{number}",
        )
        assess(cast, person, what, "L" if number % 2 else "O")


# --- Catalogue -------------------------------------------------------------------------------


def test_the_catalogue_lists_with_its_scale_and_filters(cast: Cast, hr_api: ApiClient) -> None:
    sauce = competence(cast, "SAUS", name="Sauzen maken", kind="technical")
    competence(cast, "HACCP", name="Hygiëne", kind="general")
    old = competence(cast, "OUD", name="Oude pers", is_active=False)

    everything = hr_api.get("/competences")
    found = hr_api.get("/competences", {"q": "sauzen"})
    general = hr_api.get("/competences", {"kind": "general"})
    inactive = hr_api.get("/competences", {"active": "false"})

    assert everything.status_code == 200
    body = everything.json()
    assert body["count"] == 3
    assert [item["code"] for item in body["items"]] == ["HACCP", "OUD", "SAUS"]
    ilou = services.default_scale(cast.organisation)
    assert body["items"][2] == {
        "id": sauce.pk,
        "code": "SAUS",
        "name": "Sauzen maken",
        "kind": "technical",
        "description": "",
        "group": None,
        "scale": {"id": ilou.pk, "name": "ILUO"},
        "level_texts": {},
        "is_active": True,
    }
    assert ids(found) == {sauce.pk}
    assert [item["code"] for item in general.json()["items"]] == ["HACCP"]
    assert ids(inactive) == {old.pk}


def test_a_competence_of_a_group_with_its_own_scale_shows_that_scale(
    cast: Cast, hr_api: ApiClient
) -> None:
    scale = numeric_scale(cast)
    group = CompetenceGroup.objects.create(organisation=cast.organisation, name="Hygiëne")
    group.scale = scale
    group.save()
    what = competence(cast, "HACCP")
    Competence.objects.filter(pk=what.pk).update(group=group, level_texts={"3": "Alleen"})

    detail = hr_api.get(f"/competences/{what.pk}")
    in_group = hr_api.get("/competences", {"group": group.pk})
    groups = hr_api.get("/competence-groups")

    assert detail.status_code == 200
    assert detail.json()["group"] == {"id": group.pk, "name": "Hygiëne"}
    assert detail.json()["scale"] == {"id": scale.pk, "name": "1-5"}
    assert detail.json()["level_texts"] == {"3": "Alleen"}
    assert ids(in_group) == {what.pk}
    assert groups.json()["items"] == [
        {
            "id": group.pk,
            "name": "Hygiëne",
            "description": "",
            "scale": {"id": scale.pk, "name": "1-5"},
        }
    ]


def test_hr_adds_a_competence_through_the_service(cast: Cast, hr_api: ApiClient) -> None:
    response = hr_api.post(
        "/competences", {"code": "HEF", "name": "Heftruck rijden", "kind": "technical"}
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["is_active"], body["scale"]["name"]) == ("HEF", True, "ILUO")
    created = Competence.objects.get(pk=body["id"])
    assert created.organisation == cast.organisation
    assert AuditEntry.objects.filter(
        action="competences.competence_created", object_id=str(created.pk)
    ).exists()


def test_a_duplicate_code_is_refused_on_its_field(cast: Cast, hr_api: ApiClient) -> None:
    competence(cast, "HEF")

    response = hr_api.post("/competences", {"code": "HEF", "name": "Nog eens"})

    assert response.status_code == 422
    assert error_fields(response) == [("code", "duplicate_code")]
    assert Competence.objects.filter(organisation=cast.organisation).count() == 1


def test_patch_changes_only_the_fields_sent(cast: Cast, hr_api: ApiClient) -> None:
    what = competence(cast, "HEF", name="Heftruck", description="Met attest")

    response = hr_api.patch(f"/competences/{what.pk}", {"is_active": False})
    empty_name = hr_api.patch(f"/competences/{what.pk}", {"name": None})

    assert response.status_code == 200
    what.refresh_from_db()
    assert (what.name, what.description, what.is_active) == ("Heftruck", "Met attest", False)
    assert AuditEntry.objects.filter(action="competences.competence_updated").count() == 1
    assert empty_name.status_code == 422
    assert error_fields(empty_name)[0][0] == "name"


def test_group_and_level_texts_are_written_through_the_service(
    cast: Cast, hr_api: ApiClient
) -> None:
    group = CompetenceGroup.objects.create(organisation=cast.organisation, name="Hygiëne")

    response = hr_api.post(
        "/competences",
        {"code": "HACCP", "name": "Hygiëne", "group": group.pk, "level_texts": {"U": "Alleen"}},
    )
    moved = hr_api.patch(f"/competences/{response.json()['id']}", {"group": None})

    assert response.status_code == 201, response.content
    assert response.json()["group"] == {"id": group.pk, "name": "Hygiëne"}
    assert response.json()["level_texts"] == {"U": "Alleen"}
    assert moved.status_code == 200
    assert moved.json()["group"] is None


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"level_texts": {"X": "Onbekend"}}, "level_texts", "level_text_code"),
        ({"level_texts": {"U": "x" * 501}}, "level_texts.U", "level_text_long"),
        ({"level_texts": {"": "Leeg"}}, "level_texts", "level_text_code"),
        ({"level_texts": {"U": 5}}, "level_texts.U", "string_type"),
        ({"group": 99999}, "group", "does_not_exist"),
    ],
)
def test_wrong_group_or_level_texts_are_refused_on_their_field(
    cast: Cast, hr_api: ApiClient, body: dict[str, Any], field: str, code: str
) -> None:
    response = hr_api.post("/competences", {"code": "HACCP", "name": "Hygiëne", **body})

    assert response.status_code == 422, response.content
    assert error_fields(response) == [(field, code)]
    assert not Competence.objects.exists()


def test_the_scales_list_their_levels_by_rank(cast: Cast, hr_api: ApiClient) -> None:
    scale = numeric_scale(cast)

    response = hr_api.get("/scales")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [(item["name"], item["is_default"]) for item in items] == [
        ("ILUO", True),
        ("1-5", False),
    ]
    assert [lv["code"] for lv in items[0]["levels"]] == ["0", "I", "L", "U", "O"]
    assert items[0]["levels"][3]["counts_for_coverage"] is True
    assert items[1]["id"] == scale.pk


# --- Requirements ----------------------------------------------------------------------------


def test_requirements_list_with_filters(cast: Cast, hr_api: ApiClient) -> None:
    sauce, knife = competence(cast, "SAUS"), competence(cast, "MES")
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    by_job = require_u(cast, sauce, ideal=2)
    by_station = require_u(cast, knife, workstation=station)

    everything = hr_api.get("/requirements")
    for_job = hr_api.get("/requirements", {"job": cast.job.pk})
    for_station = hr_api.get("/requirements", {"workstation": station.pk})
    for_knife = hr_api.get("/requirements", {"competence": knife.pk})

    assert everything.status_code == 200
    u = level(cast.organisation, "U")
    assert everything.json()["items"][1] == {
        "id": by_job.pk,
        "competence": {"id": sauce.pk, "code": "SAUS", "name": "Competence SAUS"},
        "job": {"id": cast.job.pk, "name": str(cast.job)},
        "workstation": None,
        "level": {"id": u.pk, "code": "U", "name": u.name, "rank": 3},
        "mandatory": True,
        "validity_months": None,
        "ideal_count": 2,
        "ideal_trainers": 0,
    }
    assert ids(for_job) == {by_job.pk}
    assert ids(for_station) == ids(for_knife) == {by_station.pk}
    assert hr_api.get(f"/requirements/{by_job.pk}").json()["ideal_count"] == 2


def test_put_adds_then_changes_a_requirement(cast: Cast, hr_api: ApiClient) -> None:
    what = competence(cast, "SAUS")
    o = level(cast.organisation, "O")
    body = {"competence": what.pk, "job": cast.job.pk, "level": "U", "ideal_count": 2}

    added = hr_api.send("put", "/requirements", body)
    changed = hr_api.send(
        "put", "/requirements", {**body, "level": None, "level_id": o.pk, "validity_months": 24}
    )

    assert added.status_code == 201
    assert changed.status_code == 200
    assert changed.json()["id"] == added.json()["id"]
    requirement = Requirement.objects.get()
    assert (requirement.level, requirement.validity_months) == (o, 24)
    assert AuditEntry.objects.filter(action="competences.requirement_set").count() == 2


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"level": "X"}, "level", "level_scale"),
        ({"level": None}, "level", "missing"),
        ({"level_id": "{level}"}, "level_id", "level_twice"),
        ({"level": None, "level_id": "{other_scale}"}, "level_id", "level_scale"),
        ({"workstation": "{station}"}, "workstation", "job_or_workstation"),
        ({"job": None}, "job", "job_or_workstation"),
        ({"ideal_count": -1}, "ideal_count", "greater_than_equal"),
        ({"validity_months": 0}, "validity_months", "greater_than_equal"),
        ({"competence": 99999}, "competence", "does_not_exist"),
    ],
)
def test_a_wrong_requirement_is_refused_on_its_field(
    cast: Cast, hr_api: ApiClient, change: dict[str, Any], field: str, code: str
) -> None:
    what = competence(cast, "SAUS")
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    names = {
        "{level}": level(cast.organisation, "U").pk,
        "{other_scale}": numeric_scale(cast).levels.get(code="3").pk,
        "{station}": station.pk,
    }
    body = {"competence": what.pk, "job": cast.job.pk, "level": "U"}
    body.update({key: names.get(value, value) for key, value in change.items()})

    response = hr_api.send("put", "/requirements", body)

    assert response.status_code == 422
    assert error_fields(response) == [(field, code)]
    assert not Requirement.objects.exists()


def test_the_api_round_trips_the_ideal_number_of_trainers(cast: Cast, hr_api: ApiClient) -> None:
    fill = competence(cast, "FILL")
    body = {"competence": fill.pk, "job": cast.job.pk, "level": "U", "ideal_count": 3}

    added = hr_api.send("put", "/requirements", {**body, "ideal_trainers": 2})
    refused = hr_api.send("put", "/requirements", {**body, "ideal_trainers": 4})

    assert added.status_code == 201
    assert added.json()["ideal_trainers"] == 2
    assert hr_api.get(f"/requirements/{added.json()['id']}").json()["ideal_trainers"] == 2
    assert refused.status_code == 422
    assert error_fields(refused) == [("ideal_trainers", "trainers_over_ideal")]
    assert Requirement.objects.get().ideal_trainers == 2

    ann = EmployeeFactory(
        organisation=cast.organisation, unit=cast.packaging, job=cast.job, last_name="Aerts"
    )
    assess(cast, ann, fill, "O")
    matrix = hr_api.get("/matrix", {"unit": cast.packaging.pk}).json()
    assert matrix["competences"][0]["trainers"] == 1
    assert matrix["competences"][0]["ideal_trainers"] == 2


def test_delete_removes_a_requirement(cast: Cast, hr_api: ApiClient) -> None:
    requirement = require_u(cast, competence(cast, "SAUS"))

    response = hr_api.send("delete", f"/requirements/{requirement.pk}", "")
    again = hr_api.send("delete", f"/requirements/{requirement.pk}", "")

    assert response.status_code == 204
    assert response.content == b""
    assert not Requirement.objects.exists()
    assert AuditEntry.objects.filter(action="competences.requirement_removed").count() == 1
    assert again.status_code == 404


# --- Assessments -----------------------------------------------------------------------------


def test_a_manager_assesses_a_worker_of_his_unit(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    assert cast.worker is not None
    what = competence(cast, "SAUS")

    response = api_for(Role.MANAGER).post(
        "/assessments",
        {
            "employee": cast.worker.pk,
            "competence": what.pk,
            "level": "U",
            "method": "observation",
            "assessed_on": "2025-03-03",
            "note": "Goed",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    manager = cast.employees[Role.MANAGER]
    assert body["employee"] == {"id": cast.worker.pk, "name": str(cast.worker)}
    assert body["assessor"] == {"id": manager.pk, "name": str(manager)}  # his own record
    assert (body["level"]["code"], body["is_self"], body["note"]) == ("U", False, "Goed")
    saved = Assessment.objects.get(pk=body["id"])
    assert saved.recorded_by == cast.user(Role.MANAGER)
    assert AuditEntry.objects.filter(action="competences.assessed").count() == 1


def test_an_employee_assesses_himself_only(cast: Cast, api_for: Callable[..., ApiClient]) -> None:
    assert cast.worker is not None
    what = competence(cast, "SAUS")
    api = api_for(Role.EMPLOYEE)
    own = cast.employees[Role.EMPLOYEE]
    body = {"competence": what.pk, "level": "L", "method": "self_assessment"}

    mine = api.post("/assessments", {**body, "employee": own.pk})
    other = api.post("/assessments", {**body, "employee": cast.worker.pk})
    official = api.post("/assessments", {**body, "employee": own.pk, "method": "observation"})

    assert mine.status_code == 201
    assert (mine.json()["is_self"], mine.json()["assessor"]["id"]) == (True, own.pk)
    assert (other.status_code, official.status_code) == (403, 403)
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "person"),
    [
        (Role.MANAGER, "office"),  # out of his units
        (Role.CONSULTATION, "worker"),  # no assessing role
        (Role.KNOWLEDGE_MANAGER, "worker"),
        (Role.PREVENTION_ADVISER, "worker"),  # sees the matrix, does not assess
    ],
)
def test_who_has_no_scope_cannot_assess(
    cast: Cast, api_for: Callable[..., ApiClient], role: Role, person: str
) -> None:
    assert cast.worker is not None
    employee = cast.worker if person == "worker" else cast.employees[Role.HR]
    what = competence(cast, "SAUS")

    response = api_for(role).post(
        "/assessments",
        {"employee": employee.pk, "competence": what.pk, "level": "U", "method": "observation"},
    )

    assert response.status_code == 403
    assert response.json() == DENIED
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"level": "7"}, "level", "level_scale"),
        ({"level": None, "level_id": "{other_scale}"}, "level_id", "level_scale"),
        ({"assessed_on": "{tomorrow}"}, "assessed_on", "future_date"),
        ({"employee": "{hr}"}, "assessor", "own_level"),  # nobody validates his own level
        ({"employee": "{left}"}, "employee", "person_left"),
        ({"valid_until": "2020-01-01"}, "valid_until", "valid_until_before"),
        ({"competence": "{inactive}"}, "competence", "inactive"),
        ({"assessor": 99999}, "assessor", "does_not_exist"),
        ({"method": "guess"}, "method", "enum"),
        ({"colour": "red"}, "colour", "extra_forbidden"),
    ],
)
def test_a_wrong_assessment_is_refused_on_its_field(
    cast: Cast, hr_api: ApiClient, change: dict[str, Any], field: str, code: str
) -> None:
    assert cast.worker is not None
    what = competence(cast, "SAUS")
    left = EmployeeFactory(
        organisation=cast.organisation, unit=cast.packaging, exit_date=datetime.date(2024, 1, 31)
    )
    names = {
        "{other_scale}": numeric_scale(cast).levels.get(code="3").pk,
        "{tomorrow}": str(timezone.localdate() + datetime.timedelta(days=1)),
        "{hr}": cast.employees[Role.HR].pk,
        "{left}": left.pk,
        "{inactive}": competence(cast, "OUD", is_active=False).pk,
    }
    body = {
        "employee": cast.worker.pk,
        "competence": what.pk,
        "level": "U",
        "method": "observation",
        "assessed_on": "2025-03-03",
        "valid_until": "2027-03-03",
    }
    body.update({key: names.get(value, value) for key, value in change.items()})

    response = hr_api.post("/assessments", body)

    assert response.status_code == 422
    assert error_fields(response) == [(field, code)]
    assert not Assessment.objects.exists()


def test_the_level_follows_the_scale_of_the_competences_group(
    cast: Cast, hr_api: ApiClient
) -> None:
    assert cast.worker is not None
    group = CompetenceGroup.objects.create(
        organisation=cast.organisation, name="Cijfers", scale=numeric_scale(cast)
    )
    what = competence(cast, "NUM")
    Competence.objects.filter(pk=what.pk).update(group=group)
    body = {"employee": cast.worker.pk, "competence": what.pk, "method": "test"}

    numeric = hr_api.post("/assessments", {**body, "level": "4"})
    iluo = hr_api.post("/assessments", {**body, "level": "U"})

    assert numeric.status_code == 201
    assert numeric.json()["level"]["code"] == "4"
    assert iluo.status_code == 422
    assert error_fields(iluo) == [("level", "level_scale")]
    assert "1-5" in iluo.json()["detail"][0]["message"]


def test_assessments_list_with_filters(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    sauce, knife = competence(cast, "SAUS"), competence(cast, "MES")
    early = assess(cast, cast.worker, sauce, "L", on=datetime.date(2024, 5, 1))
    late = assess(cast, cast.worker, sauce, "U", on=DAY)
    other = assess(cast, cast.employees[Role.EMPLOYEE], knife, "I")
    own = services.assessment_record(
        employee=cast.employees[Role.EMPLOYEE],
        competence=knife,
        level=level(cast.organisation, "U"),
        assessed_on=DAY,
        by=cast.user(Role.EMPLOYEE),
        method="self_assessment",
    )

    everything = hr_api.get("/assessments")
    by_person = hr_api.get("/assessments", {"employee": cast.worker.pk})
    by_competence = hr_api.get("/assessments", {"competence": knife.pk, "is_self": "false"})
    selfs = hr_api.get("/assessments", {"is_self": "true"})
    in_range = hr_api.get(
        "/assessments", {"assessed_from": "2024-01-01", "assessed_to": "2024-12-31"}
    )
    backwards = hr_api.get(
        "/assessments", {"assessed_from": "2025-01-01", "assessed_to": "2024-12-31"}
    )

    assert everything.status_code == 200
    assert everything.json()["count"] == 4
    assert [item["id"] for item in by_person.json()["items"]] == [late.pk, early.pk]
    assert ids(by_competence) == {other.pk}
    assert ids(selfs) == {own.pk}
    assert ids(in_range) == {early.pk}
    assert backwards.status_code == 422
    assert error_fields(backwards) == [("assessed_to", "range")]


def test_a_manager_sees_the_assessments_of_his_units_and_his_own(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    assert cast.worker is not None
    what = competence(cast, "SAUS")
    inside = assess(cast, cast.worker, what, "U")
    office = assess(cast, cast.employees[Role.HR], what, "U", role=Role.ADMIN)
    own = assess(cast, cast.employees[Role.MANAGER], what, "U")
    api = api_for(Role.MANAGER)

    listed = api.get("/assessments")
    filtered = api.get("/assessments", {"employee": cast.employees[Role.HR].pk})

    assert ids(listed) == {inside.pk, own.pk}
    assert office.pk not in ids(listed)
    assert filtered.status_code == 403


def test_an_employee_sees_only_his_own_assessments(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    assert cast.worker is not None
    what = competence(cast, "SAUS")
    own = assess(cast, cast.employees[Role.EMPLOYEE], what, "I")
    assess(cast, cast.worker, what, "U")

    response = api_for(Role.EMPLOYEE).get("/assessments")

    assert ids(response) == {own.pk}


# --- Matrix, gaps, knowledge at risk ---------------------------------------------------------


def test_the_matrix_of_a_unit(cast: Cast, api_for: Callable[..., ApiClient]) -> None:
    assert cast.worker is not None
    sauce = competence(cast, "SAUS")
    require_u(cast, sauce, ideal=2)
    assess(cast, cast.worker, sauce, "O")
    assess(cast, cast.employees[Role.EMPLOYEE], sauce, "L")

    response = api_for(Role.MANAGER).get("/matrix", {"unit": cast.production.pk})

    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == {"id": cast.production.pk, "name": "Productie"}
    assert body["competences"] == [
        {
            "competence": {"id": sauce.pk, "code": "SAUS", "name": "Competence SAUS"},
            "coverage": 1,
            "ideal": 2,
            "short": True,
            "trainers": 1,
            "ideal_trainers": 0,
        }
    ]
    rows = {row["employee"]["id"]: row for row in body["people"]}
    worker = rows[cast.worker.pk]
    assert (worker["polyvalence"], worker["job"]["id"]) == (100, cast.job.pk)
    assert worker["cells"] == [
        {
            "competence": sauce.pk,
            "level": "O",
            "required": "U",
            "mandatory": True,
            "meets": True,
            "covers": True,
            "not_released": False,
            "assessed_on": "2025-03-03",
            "expires_on": None,
            "expired": False,
            "expiring": False,
        }
    ]
    learner = rows[cast.employees[Role.EMPLOYEE].pk]["cells"][0]
    assert (learner["level"], learner["required"], learner["covers"]) == ("L", None, False)
    assert cast.employees[Role.HR].pk not in rows  # the office is not in production


def test_the_matrix_filters_on_group_workstation_and_mandatory(
    cast: Cast, hr_api: ApiClient
) -> None:
    assert cast.worker is not None
    group = CompetenceGroup.objects.create(organisation=cast.organisation, name="Hygiëne")
    sauce, knife, clean = (
        competence(cast, "SAUS"),
        competence(cast, "MES"),
        competence(cast, "POETS"),
    )
    Competence.objects.filter(pk=clean.pk).update(group=group)
    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    require_u(cast, sauce)
    services.requirement_set(
        competence=knife,
        by=cast.user(Role.HR),
        level=level(cast.organisation, "U"),
        job=cast.job,
        mandatory=False,
    )
    require_u(cast, clean, workstation=station)

    def columns(**params: Any) -> list[str]:
        response = hr_api.get("/matrix", {"unit": cast.packaging.pk, **params})
        assert response.status_code == 200, response.content
        return [column["competence"]["code"] for column in response.json()["competences"]]

    assert columns() == ["MES", "POETS", "SAUS"]
    assert columns(group=group.pk) == ["POETS"]
    assert columns(required_only="true") == ["POETS", "SAUS"]
    assert "POETS" in columns(workstation=station.pk)
    unknown = hr_api.get("/matrix", {"unit": cast.packaging.pk, "group": 99999})
    assert error_fields(unknown) == [("group", "does_not_exist")]


def test_the_matrix_and_gaps_refuse_a_unit_out_of_scope(
    cast: Cast, api_for: Callable[..., ApiClient]
) -> None:
    api = api_for(Role.MANAGER)

    for path in ("/matrix", "/gaps"):
        outside = api.get(path, {"unit": cast.office.pk})
        missing = api.get(path)
        assert outside.status_code == 403, path
        assert outside.json() == DENIED
        assert missing.status_code == 422
        assert error_fields(missing) == [("unit", "missing")]


def test_the_gaps_of_a_unit(cast: Cast, hr_api: ApiClient) -> None:
    assert cast.worker is not None
    sauce, knife = competence(cast, "SAUS"), competence(cast, "MES")
    require_u(cast, sauce)
    require_u(cast, knife)
    assess(cast, cast.worker, sauce, "L")
    assess(cast, cast.worker, knife, "U")

    response = hr_api.get("/gaps", {"unit": cast.packaging.pk})

    assert response.status_code == 200
    u = level(cast.organisation, "U")
    assert response.json() == {
        "items": [
            {
                "employee": {"id": cast.worker.pk, "name": str(cast.worker)},
                "unit": {"id": cast.packaging.pk, "name": "Verpakking"},
                "competence": {"id": sauce.pk, "code": "SAUS", "name": "Competence SAUS"},
                "required_level": {"id": u.pk, "code": "U", "name": u.name, "rank": 3},
                "current_level": {"code": "L", "name": level(cast.organisation, "L").name},
                "assessed_on": "2025-03-03",
                "since": str(cast.worker.hire_date),
                "mandatory": True,
                "has_open_need": False,
            }
        ],
        "count": 1,
    }


@pytest.mark.parametrize(
    ("role", "names"), [(Role.HR, True), (Role.ADMIN, True), (Role.KNOWLEDGE_MANAGER, False)]
)
def test_knowledge_at_risk_shows_names_only_to_hr(
    cast: Cast, api_for: Callable[..., ApiClient], role: Role, names: bool
) -> None:
    assert cast.worker is not None
    sauce = competence(cast, "SAUS")
    require_u(cast, sauce, ideal=3)
    assess(cast, cast.worker, sauce, "U")

    response = api_for(role).get("/retention")

    assert response.status_code == 200
    [risk] = response.json()["items"]
    assert (risk["competence"]["code"], risk["holder_count"], risk["ideal"]) == ("SAUS", 1, 3)
    assert risk["short"] is True
    if names:
        assert [h["employee"] for h in risk["holders"]] == [cast.worker.pk]
        assert risk["holders"][0]["name"] == "Werker, Wout"
    else:
        assert risk["holders"] is None


# --- Every endpoint as every role ------------------------------------------------------------


def expected(user: Any, perm: str, obj: Any = None) -> int:
    return 200 if user.has_perm(perm, obj) else 403


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_endpoint_obeys_the_permission_table(
    cast: Cast, api_for: Callable[..., ApiClient], role: Role
) -> None:
    """Reads and writes, as each role, give what `has_perm` says; a refusal writes nothing."""
    assert cast.worker is not None
    what = competence(cast, "SAUS")
    requirement = require_u(cast, what, ideal=2)
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)
    api = api_for(role)
    catalogue = expected(user, "competences.view_catalogue")
    change = user.has_perm("competences.change_catalogue")
    reads = {
        "/competences": catalogue,
        f"/competences/{what.pk}": catalogue,
        "/competence-groups": catalogue,
        "/scales": catalogue,
        "/requirements": catalogue,
        f"/requirements/{requirement.pk}": catalogue,
        # everyone has his own person record in the cast, so sees his own assessments
        "/assessments": 200,
        f"/matrix?unit={cast.packaging.pk}": expected(
            user, "competences.view_matrix", cast.packaging
        ),
        f"/gaps?unit={cast.packaging.pk}": expected(user, "competences.view_gaps", cast.packaging),
        "/retention": expected(user, "competences.view_retention"),
    }
    for path, status in reads.items():
        assert api.get(path).status_code == status, path

    entries = AuditEntry.objects.count()
    writes = [
        ("post", "/competences", {"code": "NEW", "name": "Nieuw"}, 201 if change else 403),
        ("patch", f"/competences/{what.pk}", {"name": "Anders"}, 200 if change else 403),
        (
            "put",
            "/requirements",
            {"competence": what.pk, "job": cast.job.pk, "level": "O"},
            200 if change else 403,
        ),
        (
            "post",
            "/assessments",
            {"employee": cast.worker.pk, "competence": what.pk, "level": "U", "method": "test"},
            201 if user.has_perm("competences.assess_employee", cast.worker) else 403,
        ),
        ("delete", f"/requirements/{requirement.pk}", "", 204 if change else 403),
    ]
    refused = 0
    for method, path, body, status in writes:
        response = api.send(method, path, body)
        assert response.status_code == status, (method, path, response.content)
        refused += status == 403
    if refused == len(writes):
        assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_assessments_list_shows_exactly_what_the_rules_allow(
    cast: Cast, api_for: Callable[..., ApiClient], role: Role
) -> None:
    """As on the pages: the people in the matrix scope of the role, and one's own record."""
    what = competence(cast, "SAUS")
    for person in Employee.objects.filter(organisation=cast.organisation):
        if person != cast.employees[Role.ADMIN]:
            assess(cast, person, what, "U", role=Role.ADMIN)
    user = cast.user(role)
    user.access = load_access(user, cast.organisation.pk)

    response = api_for(role).get("/assessments", {"limit": 200})

    everything = Assessment.objects.select_related("employee__unit")
    allowed = {
        a.pk
        for a in everything
        if user.has_perm("competences.view_matrix", a.employee)
        or a.employee_id == cast.employees[role].pk
    }
    assert response.status_code == 200
    assert ids(response) == allowed


# --- Another organisation --------------------------------------------------------------------


@pytest.fixture
def foreign(cast: Cast) -> dict[str, Any]:
    """A competence, requirement, level, unit and person of the other organisation."""
    other = cast.other_organisation
    assert other is not None
    assert cast.other_hr is not None
    assert cast.other_employee is not None
    what = services.competence_create(organisation=other, by=cast.other_hr, code="GEHEIM", name="X")
    job = JobFactory(organisation=other)
    requirement = services.requirement_set(
        competence=what, by=cast.other_hr, level=level(other, "U"), job=job
    )
    return {
        "competence": what.pk,
        "requirement": requirement.pk,
        "job": job.pk,
        "level": level(other, "U").pk,
        "unit": cast.other_employee.unit_id,
        "workstation": WorkstationFactory(organisation=other, unit=cast.other_employee.unit).pk,
        "employee": cast.other_employee.pk,
    }


def test_another_organisations_records_do_not_exist(
    cast: Cast, hr_api: ApiClient, foreign: dict[str, Any]
) -> None:
    for path in (
        f"/competences/{foreign['competence']}",
        f"/requirements/{foreign['requirement']}",
    ):
        assert hr_api.get(path).status_code == 404, path
        assert hr_api.get(path).json() == {"detail": "Not found."}
    assert hr_api.patch(f"/competences/{foreign['competence']}", {"name": "Y"}).status_code == 404
    deleted = hr_api.send("delete", f"/requirements/{foreign['requirement']}", "")
    assert deleted.status_code == 404
    assert Requirement.objects.filter(pk=foreign["requirement"]).exists()
    assert Competence.objects.get(pk=foreign["competence"]).name == "X"
    for path in ("/competences", "/requirements", "/scales"):
        listed = hr_api.get(path, {"limit": 200})
        assert listed.status_code == 200
        assert all(
            item["id"] not in {foreign["competence"], foreign["requirement"]}
            for item in listed.json()["items"]
        ), path
    other_scales = set(
        LevelScale.objects.filter(organisation=cast.other_organisation).values_list("pk", flat=True)
    )
    assert not ids(hr_api.get("/scales")) & other_scales


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("put", "/requirements", {"competence": "competence", "job": "own_job"}, "competence"),
        ("put", "/requirements", {"competence": "own", "job": "job"}, "job"),
        (
            "put",
            "/requirements",
            {"competence": "own", "job": "own_job", "level": None, "level_id": "level"},
            "level_id",
        ),
        ("post", "/assessments", {"employee": "employee", "competence": "own"}, "employee"),
        ("post", "/assessments", {"employee": "worker", "competence": "competence"}, "competence"),
        (
            "post",
            "/assessments",
            {"employee": "worker", "competence": "own", "assessor": "employee"},
            "assessor",
        ),
        ("get", "/matrix", {"unit": "unit"}, "unit"),
        ("get", "/matrix", {"unit": "own_unit", "workstation": "workstation"}, "workstation"),
        ("get", "/gaps", {"unit": "unit"}, "unit"),
        ("get", "/assessments", {"employee": "employee"}, "employee"),
        ("get", "/requirements", {"competence": "competence"}, "competence"),
    ],
)
def test_another_organisations_id_is_refused_on_its_field(
    cast: Cast,
    hr_api: ApiClient,
    foreign: dict[str, Any],
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    assert cast.worker is not None
    own = {
        "own": competence(cast, "SAUS").pk,
        "own_job": cast.job.pk,
        "own_unit": cast.packaging.pk,
        "worker": cast.worker.pk,
    }
    values = {**foreign, **own}
    body = {"level": "U", **{key: values.get(value, value) for key, value in body.items()}}
    if path == "/assessments":
        body["method"] = "observation"
    if method == "get":
        body = {key: body[key] for key in ("unit", field) if key in body}
    counts = Requirement.objects.count(), Assessment.objects.count()

    response = hr_api.get(path, body) if method == "get" else hr_api.send(method, path, body)

    assert response.status_code == 422, response.content
    assert error_fields(response) == [(field, "does_not_exist")]
    assert (Requirement.objects.count(), Assessment.objects.count()) == counts


# --- A fixed number of queries ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/competences",
        "/requirements",
        "/assessments",
        "/scales",
        "/matrix?unit={unit}",
        "/gaps?unit={unit}",
        "/retention",
    ],
)
def test_reads_take_a_fixed_number_of_queries(
    cast: Cast,
    api_for: Callable[..., ApiClient],
    django_assert_max_num_queries: Any,
    path: str,
) -> None:
    sauce = competence(cast, "SAUS")
    require_u(cast, sauce, ideal=5)
    url = path.format(unit=cast.production.pk)
    api = api_for(Role.HR)
    api.get(url)  # the token's first use records it; the default scale is made once
    small = queries(lambda: api.get(url))

    for number in range(4):
        more = competence(cast, f"EXTRA{number}")
        require_u(cast, more, ideal=2)
    more_people(cast, sauce, 6)
    numeric_scale(cast)
    large = queries(lambda: api.get(url))

    assert large == small, path
    with django_assert_max_num_queries(12):
        api.get(url)


def test_writes_take_a_fixed_number_of_queries(
    cast: Cast, hr_api: ApiClient, django_assert_max_num_queries: Any
) -> None:
    assert cast.worker is not None
    what = competence(cast, "SAUS")
    hr_api.get("/scales")
    body = {"employee": cast.worker.pk, "competence": what.pk, "level": "U", "method": "test"}

    with django_assert_max_num_queries(25):
        assert hr_api.post("/assessments", body).status_code == 201
    with django_assert_max_num_queries(25):
        put = {"competence": what.pk, "job": cast.job.pk, "level": "U"}
        assert hr_api.send("put", "/requirements", put).status_code == 201
    with django_assert_max_num_queries(25):
        assert hr_api.post("/competences", {"code": "N", "name": "N"}).status_code == 201


def test_a_new_unit_without_people_has_an_empty_matrix(cast: Cast, hr_api: ApiClient) -> None:
    empty = make_unit(cast.organisation, "Leeg")

    matrix = hr_api.get("/matrix", {"unit": empty.pk})
    gaps = hr_api.get("/gaps", {"unit": empty.pk})

    assert matrix.json() == {
        "unit": {"id": empty.pk, "name": "Leeg"},
        "competences": [],
        "people": [],
    }
    assert gaps.json() == {"items": [], "count": 0}
