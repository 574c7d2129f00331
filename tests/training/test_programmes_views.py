"""The programme pages as their users meet them: the library, one programme, one module; a
fixed number of queries whatever the size; drafts only for authors; bad input named."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.training import services_programmes as services
from leerplek.training.models import ModuleKind, Programme
from tests.factories import Cast
from tests.training.factories_programmes import (
    acting,
    approved,
    built_programme,
    draft,
    module,
    phase,
    programme,
)

pytestmark = pytest.mark.django_db


def grow(cast: Cast, code: str, phases: int, modules: int) -> Programme:
    prog = programme(cast, code=code, title=f"Programma {code}")
    version = draft(prog)
    for p in range(phases):
        row = phase(cast, version, f"Fase {p + 1}")
        previous = None
        for m in range(modules):
            made = module(
                cast,
                row,
                f"Module {p + 1}.{m + 1}",
                ModuleKind.PRACTICAL,
                prerequisites=[previous] if previous else [],
            )
            services.objective_add(module=made, by=acting(cast, Role.HR), text=f"doel {m}")
            previous = made
    return prog


def test_the_library_lists_programmes_with_their_versions(cast: Cast, client: Any) -> None:
    approved(cast, code="HOP")
    programme(cast, code="NEW", title="Nog in opbouw")
    client.force_login(cast.user(Role.HR))
    response = client.get(reverse("training:programme-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hulpoperator" in body
    assert "Nog in opbouw" in body
    assert "not approved yet" in body


def test_the_library_keeps_its_queries_whatever_the_number_of_programmes(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.user(Role.HR))
    grow(cast, "A", 1, 1)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("training:programme-list"))
    for code in ("B", "C", "D", "E"):
        grow(cast, code, 2, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("training:programme-list"))


def test_a_programme_page_keeps_its_queries_whatever_its_size(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.user(Role.HR))
    small = grow(cast, "S", 1, 1)
    with django_assert_max_num_queries(30) as counted:
        response = client.get(reverse("training:programme-detail", args=[small.pk]))
    assert response.status_code == 200
    big = grow(cast, "B", 4, 6)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = client.get(reverse("training:programme-detail", args=[big.pk]))
    assert response.content.decode().count('class="module"') == 24


def test_a_module_page_keeps_its_queries_whatever_its_content(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(cast.user(Role.HR))
    version = built_programme(cast)
    filling = version.modules.get(title="Saus afvullen")
    with django_assert_max_num_queries(30) as counted:
        client.get(reverse("training:module-detail", args=[filling.pk]))
    hr = acting(cast, Role.HR)
    for n in range(5):
        services.objective_add(module=filling, by=hr, text=f"extra doel {n}")
        services.fault_add(module=filling, by=hr, symptom=f"s{n}", cause="c", remedy="r")
        services.checklist_item_add(module=filling, by=hr, text=f"item {n}")
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = client.get(reverse("training:module-detail", args=[filling.pk]))
    body = response.content.decode()
    for part in ("Workstation and surroundings", "The do-steps", "Quality care", "Faults"):
        assert part in body
    assert "De pomp ratelt" in body
    assert "Lucht in de leiding" in body


def test_a_worker_reads_the_approved_version_and_never_the_draft(cast: Cast, client: Any) -> None:
    version = approved(cast)
    services.programme_version_draft(programme=version.programme, by=acting(cast, Role.HR))
    client.force_login(cast.user(Role.EMPLOYEE))
    response = client.get(reverse("training:programme-detail", args=[version.programme_id]))
    body = response.content.decode()
    assert "Version 1" in body
    assert "Edit the programme" not in body
    # A module of the draft sends him to the approved programme.
    draft_module = version.programme.versions.get(number=2).modules.first()
    assert draft_module is not None
    response = client.get(reverse("training:module-detail", args=[draft_module.pk]))
    assert response.status_code == 302


def test_adding_a_phase_without_a_title_names_the_field_and_saves_nothing(
    cast: Cast, client: Any
) -> None:
    prog = programme(cast)
    version = draft(prog)
    client.force_login(cast.user(Role.HR))
    response = client.post(reverse("training:phase-create", args=[version.pk]), {"title": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert version.phases.count() == 0
    response = client.post(
        reverse("training:phase-create", args=[version.pk]),
        {"title": "Introductie", "starts_after_days": "-3"},
    )
    assert version.phases.count() == 0
    response = client.post(
        reverse("training:phase-create", args=[version.pk]), {"title": "Introductie"}
    )
    assert response.status_code == 302
    assert version.phases.get().title == "Introductie"


def test_an_approved_version_cannot_be_edited_through_the_pages(cast: Cast, client: Any) -> None:
    version = approved(cast)
    client.force_login(cast.user(Role.HR))
    response = client.post(
        reverse("training:phase-create", args=[version.pk]), {"title": "Nieuw"}, follow=True
    )
    assert version.phases.count() == 3
    assert response.status_code == 200
