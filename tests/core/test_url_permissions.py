"""Walk every URL of the app as every role and check the outcome against the permission table.

URLs come from the resolver, so a new page is covered the day it is added: its view must declare a
permission (`@requires`) or be marked `@public`, and its URL arguments must be known below.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from leerplek.core.permissions import PERMISSIONS
from leerplek.core.roles import Role
from tests.factories import Cast, WorkstationFactory

SKIPPED_PREFIXES = ("admin", "api")  # the admin has its own staff check; the API has its own walk


def walk(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            route = str(entry.pattern)
            if route.strip("/").startswith(SKIPPED_PREFIXES):
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, ns, prefix + route)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def load_user_access(user: Any, organisation: Any) -> Any:
    from leerplek.core.access import load_access

    user.access = load_access(user, organisation.pk)
    return user


def url_arguments(cast: Cast, user: Any = None) -> dict[str, Any]:
    """A value for every URL argument name, chosen inside the line manager's scope.

    Personal objects (an API token) belong to `user`, HR by default.
    """
    from leerplek.competences import services as competence_services
    from leerplek.competences.matrix_import import matrix_import_create
    from leerplek.core.access import load_access
    from leerplek.core.models import RoleGrant
    from leerplek.core.services import token_create
    from leerplek.people.imports import import_job_create
    from tests.onboarding.factories import start, templates

    station = WorkstationFactory(organisation=cast.organisation, unit=cast.packaging)
    assert cast.worker is not None
    manager_grant = RoleGrant.objects.get(
        organisation=cast.organisation, user=cast.user(Role.MANAGER)
    )
    competence = competence_services.competence_create(
        organisation=cast.organisation, by=cast.user(Role.HR), code="HACCP", name="Food safety"
    )
    requirement = competence_services.requirement_set(
        competence=competence,
        by=cast.user(Role.HR),
        job=cast.job,
        level=competence_services.default_scale(cast.organisation).levels.get(code="U"),
    )
    assessment = competence_services.assessment_record(
        employee=cast.worker,
        competence=competence,
        level=competence_services.default_scale(cast.organisation).levels.get(code="U"),
        assessed_on=datetime.date(2025, 3, 3),
        by=load_user_access(cast.user(Role.HR), cast.organisation),
        assessor=cast.employees[Role.HR],
        method="certificate",
        evidence=SimpleUploadedFile("attest.pdf", b"%PDF-1.4 walk", "application/pdf"),
    )
    from leerplek.competences.models import TransferPlan

    transfer_plan = TransferPlan.objects.create(
        organisation=cast.organisation,
        competence=competence,
        method="tandem",
        successor=cast.worker,
        due_on=datetime.date(2030, 1, 1),
    )
    from leerplek.competences import catalogue_services

    numeric_scale = catalogue_services.scale_create(
        organisation=cast.organisation, by=cast.user(Role.HR), name="1-5", preset="numeric"
    )
    company_template, _ = templates(cast)
    onboarding = start(cast)
    from tests.onboarding import (
        walk_guidance,
        walk_matching,
        walk_metrics,
        walk_plan,
        walk_pool,
        walk_record,
        walk_reviews,
    )

    onboarding_areas: dict[str, Any] = {}
    for area in (
        walk_plan,
        walk_record,
        walk_pool,
        walk_matching,
        walk_guidance,
        walk_reviews,
        walk_metrics,
    ):
        onboarding_areas.update(area.arguments(cast, onboarding))
    from tests.training import (
        walk_certificates,
        walk_instructions,
        walk_learning,
        walk_leittext,
        walk_programmes,
        walk_ranking,
        walk_station,
        walk_tests,
    )

    training_areas: dict[str, Any] = {}
    for training_area in (
        walk_programmes,
        walk_instructions,
        walk_station,
        walk_learning,
        walk_leittext,
        walk_ranking,
        walk_tests,
        walk_certificates,
    ):
        training_areas.update(training_area.arguments(cast))
    from tests.registration import (
        walk_activities,
        walk_core,
        walk_drafts,
        walk_plan,
        walk_rights,
        walk_sb,
        walk_schedule,
        walk_volume,
    )

    registration_areas: dict[str, Any] = {}
    for registration_area in (
        walk_core,
        walk_activities,
        walk_drafts,
        walk_sb,
        walk_volume,
        walk_plan,
        walk_rights,
        walk_schedule,
    ):
        registration_areas.update(registration_area.arguments(cast))
    return {
        **onboarding_areas,
        **training_areas,
        **registration_areas,
        "group_id": catalogue_services.group_create(
            organisation=cast.organisation, by=cast.user(Role.HR), name="Hygiene"
        ).pk,
        "scale_id": numeric_scale.pk,
        "level_id": numeric_scale.levels.get(code="4").pk,
        "transfer_plan_id": transfer_plan.pk,
        "assessment_id": assessment.pk,
        "template_id": company_template.pk,
        "template_task_id": company_template.tasks.first().pk,  # type: ignore[union-attr]
        "onboarding_id": onboarding.pk,
        # A task without work on the floor: marking it done needs no peter/meter.
        "onboarding_task_id": onboarding.tasks.filter(on_work_floor=False).first().pk,  # type: ignore[union-attr]
        "competence_id": competence.pk,
        "requirement_id": requirement.pk,
        "unit_id": cast.packaging.pk,
        "job_id": cast.job.pk,
        "employee_id": cast.worker.pk,
        "workstation_id": station.pk,
        "kind": "people",
        "grant_id": manager_grant.pk,
        "matrix_import_id": matrix_import_create(
            organisation=cast.organisation,
            by=cast.user(Role.HR),
            access=load_access(cast.user(Role.HR), cast.organisation.pk),
            name="matrix.csv",
            content=b"Person;HACCP\r\nWout Werker;U\r\n",
        ).pk,
        "import_id": import_job_create(
            organisation=cast.organisation,
            by=cast.user(Role.HR),
            kind="units",
            name="units.csv",
            content=b"name;code;kind\r\nA;A;team\r\n",
        ).pk,
        "token_id": token_create(
            user=user or cast.user(Role.HR), organisation=cast.organisation, name="walk"
        )[0].pk,
    }


def url_kwargs(arguments: dict[str, Any], name: str, pattern: URLPattern) -> dict[str, Any]:
    """The walk's arguments for one URL: a value keyed `namespace:argument` wins over the plain key.

    Two apps may use the same argument name for different objects (`programme_id` is a guidance
    programme in onboarding and a training programme in training).
    """
    namespace = name.split(":", 1)[0]
    return {
        key: arguments.get(f"{namespace}:{key}", arguments.get(key))
        for key in pattern.pattern.converters
    }


def all_urls() -> list[tuple[str, URLPattern]]:
    return sorted(walk(get_resolver().url_patterns), key=lambda item: item[0])


def test_every_view_declares_a_permission() -> None:
    missing = [
        name for name, pattern in all_urls() if not hasattr(pattern.callback, "required_perm")
    ]
    assert missing == [], "views without @requires or @public"
    unknown = [
        (name, pattern.callback.required_perm)
        for name, pattern in all_urls()
        if pattern.callback.required_perm is not None
        and pattern.callback.required_perm not in PERMISSIONS
    ]
    assert unknown == [], "permissions missing from core/permissions.py"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_url_as_every_role(cast: Cast, client: Any, role: Role) -> None:
    arguments = url_arguments(cast, cast.user(role))
    client.force_login(cast.user(role))
    checked = 0
    for name, pattern in all_urls():
        perm = pattern.callback.required_perm
        if perm is None:
            continue
        kwargs = url_kwargs(arguments, name, pattern)
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        rule = PERMISSIONS[perm]
        # `own` permissions without an object argument act on the user's own record.
        allowed = role in rule.roles or (rule.own and not kwargs)
        if allowed:
            assert response.status_code not in (403, 404), (name, role, response.status_code)
            assert response.status_code < 500, (name, role)
        else:
            assert response.status_code == 403, (name, role, response.status_code)
        checked += 1
    assert checked >= 20


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_everywhere(cast: Cast, client: Any) -> None:
    arguments = url_arguments(cast)
    for name, pattern in all_urls():
        if pattern.callback.required_perm is None:
            continue
        kwargs = url_kwargs(arguments, name, pattern)
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code == 405:
            response = client.post(reverse(name, kwargs=kwargs), {})
        assert response.status_code in (302, 403), name
        if response.status_code == 302:
            assert response["Location"].startswith("/login/"), name


@pytest.mark.django_db
def test_no_page_shows_another_organisation(cast: Cast, client: Any) -> None:
    """Tenancy: HR of the other organisation opens every page and never sees our names."""
    arguments = url_arguments(cast)
    assert cast.other_hr is not None
    client.force_login(cast.other_hr)
    secrets = [cast.organisation.name, "Wout", "Verpakking", "Productie"]
    for name, pattern in all_urls():
        if pattern.callback.required_perm is None:
            continue
        kwargs = url_kwargs(arguments, name, pattern)
        response = client.get(reverse(name, kwargs=kwargs))
        if any(key.endswith("_id") for key in kwargs):
            # Our objects do not exist for them.
            assert response.status_code in (404, 405), (name, response.status_code)
        body = response.content.decode(errors="replace")
        for secret in secrets:
            assert secret not in body, (name, secret)
