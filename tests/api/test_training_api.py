"""The training API: programmes, instructions read in a language with fallback flags, learners'
programmes in scope, the two-party sign-off round trip, attempts scored on the server, and the
certificate verification's five facts; fixed query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from leerplek.core.roles import Role
from leerplek.training import services_learning
from leerplek.training.models import Certificate, CertificateKind
from tests.factories import Cast, EmployeeFactory
from tests.training.factories import approved_instruction, approved_programme
from tests.training.factories_instructions import language
from tests.training.factories_leittext import acting, learner
from tests.training.factories_tests import answers, questionnaire

pytestmark = pytest.mark.django_db


def assign(cast: Cast, code: str = "AOP", employee: Any = None) -> Any:
    return services_learning.assignment_create(
        version=approved_programme(cast, code=code),
        employee=employee or learner(cast),
        by=acting(cast, Role.HR),
        guide=cast.employees[Role.MENTOR],
        started_on=datetime.date.today(),
    )


def test_programmes_and_their_approved_phases(cast: Cast, api_for: Any) -> None:
    version = approved_programme(cast)
    api = api_for(Role.EMPLOYEE)
    listing = api.get("/training/programmes").json()
    assert listing["count"] == 1
    assert listing["items"][0]["approved_version"] == 1
    detail = api.get(f"/training/programmes/{version.programme_id}").json()
    assert [m["title"] for m in detail["phases"][0]["modules"]] == [
        "Basiskennis procestechnieken",
        "Saus afvullen",
    ]


def test_an_instruction_reads_in_polish_with_fallback_flags(cast: Cast, api_for: Any) -> None:
    language(cast)
    instruction = approved_instruction(cast, steps=2, translations={"pl": "PL"})
    step = instruction.versions.get().steps.get(position=2)
    step.text = {"nl": "Stap 2"}
    step.save()
    body = api_for(Role.EMPLOYEE).get(f"/training/instructions/{instruction.pk}?lang=pl").json()
    assert body["language"] == "pl"
    assert body["steps"][0]["text"] == {"value": "PL Stap 1", "fallback": False}
    assert body["steps"][1]["text"] == {"value": "Stap 2", "fallback": True}
    assert body["steps"][0]["key_points"][0]["kind"] == "safety"
    assert body["fallbacks"] == 1
    assert api_for(Role.EMPLOYEE).get("/training/instructions").json()["items"][0]["title"]


def test_declare_and_confirm_round_trip_with_the_hash(cast: Cast, api_for: Any) -> None:
    assignment = assign(cast)
    module = assignment.version.modules.get(kind="practical")
    ticks = list(module.checklist.values_list("pk", flat=True))
    worker = api_for(Role.EMPLOYEE)
    declared = worker.post(
        f"/training/assignments/{assignment.pk}/modules/{module.pk}/declare",
        {"checklist": ticks, "note": "Klaar"},
    )
    assert declared.status_code == 201, declared.content
    signoff = declared.json()
    assert signoff["confirmed_at"] is None
    own = worker.post(f"/training/signoffs/{signoff['id']}/confirm", {"checklist": ticks})
    assert own.status_code in (403, 422)
    confirmed = api_for(Role.MENTOR).post(
        f"/training/signoffs/{signoff['id']}/confirm", {"checklist": ticks}
    )
    assert confirmed.status_code == 200, confirmed.content
    assert len(confirmed.json()["content_hash"]) == 64
    detail = api_for(Role.HR).get(f"/training/assignments/{assignment.pk}").json()
    states = {row["title"]: row["state"] for row in detail["modules"]}
    assert states["Saus afvullen"] == "confirmed"


def test_an_incomplete_checklist_is_a_field_error(cast: Cast, api_for: Any) -> None:
    assignment = assign(cast)
    module = assignment.version.modules.get(kind="practical")
    response = api_for(Role.EMPLOYEE).post(
        f"/training/assignments/{assignment.pk}/modules/{module.pk}/declare", {"checklist": []}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "checklist"


def test_assignments_are_scoped(cast: Cast, api_for: Any) -> None:
    assign(cast)
    stranger = EmployeeFactory(organisation=cast.organisation, unit=cast.production)
    assign(cast, code="P2", employee=stranger)
    assert api_for(Role.HR).get("/training/assignments").json()["count"] == 2
    assert api_for(Role.EMPLOYEE).get("/training/assignments").json()["count"] == 1
    assert api_for(Role.KNOWLEDGE_MANAGER).get("/training/assignments").json()["count"] == 0


def test_an_attempt_is_scored_on_the_server(cast: Cast, api_for: Any) -> None:
    assignment = assign(cast)
    module = assignment.version.modules.get(kind="practical")
    test = questionnaire(cast, module, questions=4)
    body = {"answers": answers(test, right=3), "score_percent": 100}
    refused = api_for(Role.EMPLOYEE).post(f"/training/tests/{test.pk}/attempts", body)
    assert refused.status_code == 422  # a field the client may not send
    del body["score_percent"]
    response = api_for(Role.EMPLOYEE).post(f"/training/tests/{test.pk}/attempts", body)
    assert response.status_code == 201, response.content
    result = response.json()
    assert (result["points"], result["max_points"], result["passed"]) == (3, 4, True)
    hr = api_for(Role.HR).post(f"/training/tests/{test.pk}/attempts", body)
    assert hr.status_code in (403, 404, 422)


def test_verification_shows_the_five_facts(cast: Cast, api_for: Any) -> None:
    assert cast.worker is not None
    certificate = Certificate.objects.create(
        organisation=cast.organisation,
        employee=cast.worker,
        kind=CertificateKind.CERTIFICATE,
        title="VCA basis",
        issued_on=datetime.date(2025, 1, 2),
    )
    body = api_for(Role.EMPLOYEE).get(f"/training/certificates/verify/{certificate.code}").json()
    assert set(body) == {"name", "title", "issued_on", "expires_on", "state"}
    assert body["name"] == "Wout Werker"
    assert api_for(Role.EMPLOYEE).get("/training/certificates/verify/NOPE").status_code == 404
    listing = api_for(Role.HR).get("/training/certificates").json()
    assert listing["items"][0]["state"] == "valid"


def test_endpoints_keep_their_query_count(
    cast: Cast, api_for: Any, django_assert_max_num_queries: Any
) -> None:
    first = assign(cast)
    api = api_for(Role.HR)
    paths = [
        "/training/programmes",
        "/training/assignments",
        f"/training/assignments/{first.pk}",
        "/training/certificates",
        "/training/instructions",
    ]
    approved_instruction(cast, code="I0")
    counts = {}
    for path in paths:
        with django_assert_max_num_queries(25) as before:
            assert api.get(path).status_code == 200, path
        counts[path] = len(before.captured_queries)
    for number in range(1, 8):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging)
        assign(cast, code=f"Q{number}", employee=person)
        approved_instruction(cast, code=f"I{number}")
        Certificate.objects.create(
            organisation=cast.organisation,
            employee=person,
            kind=CertificateKind.CERTIFICATE,
            title="VCA",
            issued_on=first.started_on,
        )
    for path in paths:
        with django_assert_max_num_queries(counts[path]):
            assert api.get(path).status_code == 200, path
