"""The programme builder's rules (OJT-01, OJT-03, OJT-18): drafts, four-eyes approval, an
approved version never changes, a new version is a deep copy, and bad input is named."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.training import services_programmes as services
from leerplek.training.models import Module, ModuleKind, VersionStatus
from tests.factories import Cast
from tests.training.factories_programmes import (
    acting,
    approved,
    built_programme,
    draft,
    module,
    phase,
    programme,
    second_hr,
    second_hr_or_existing,
)

pytestmark = pytest.mark.django_db


def errors(caught: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return caught.value.message_dict


def test_a_new_programme_starts_as_draft_version_1_owned_by_its_author(cast: Cast) -> None:
    prog = programme(cast)
    version = draft(prog)
    assert version.number == 1
    assert version.status == VersionStatus.DRAFT
    assert prog.owner == cast.user(Role.HR)


def test_the_code_is_unique_in_the_organisation_whatever_the_case(cast: Cast) -> None:
    programme(cast, code="HOP")
    with pytest.raises(ValidationError) as caught:
        programme(cast, code="hop", title="Tweede")
    assert "code" in errors(caught)


def test_an_empty_draft_cannot_be_sent_for_approval(cast: Cast) -> None:
    version = draft(programme(cast))
    with pytest.raises(ValidationError) as caught:
        services.version_submit(version=version, by=acting(cast, Role.HR))
    assert "phases" in errors(caught)
    phase(cast, version, "Introductie")
    problems = services.approval_problems(version=version)
    assert any("Introductie" in text for text in problems["phases"])


def test_an_elearning_module_needs_its_link(cast: Cast) -> None:
    version = draft(programme(cast))
    first = phase(cast, version)
    module(cast, first, "Procestechnieken", ModuleKind.ELEARNING)
    assert "modules" in services.approval_problems(version=version)


def test_the_author_does_not_approve_his_own_draft(cast: Cast) -> None:
    version = built_programme(cast)
    with pytest.raises(ValidationError):
        services.version_approve(version=version, by=acting(cast, Role.HR))
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_a_second_hr_colleague_approves_and_it_is_audited(cast: Cast) -> None:
    version = built_programme(cast)
    result = services.version_approve(version=version, by=second_hr(cast))
    assert result.status == VersionStatus.APPROVED
    assert result.approved_at is not None
    assert AuditEntry.objects.filter(action__startswith="training.programme_version").exists()


def test_an_approved_version_never_changes(cast: Cast) -> None:
    version = approved(cast)
    first = version.phases.order_by("position").first()
    assert first is not None
    with pytest.raises(ValidationError):
        services.phase_add(version=version, by=acting(cast, Role.HR), title="Nieuwe fase")
    with pytest.raises(ValidationError):
        module(cast, first, "Extra")
    one = version.modules.first()
    assert one is not None
    with pytest.raises(ValidationError):
        services.module_update(module=one, by=acting(cast, Role.HR), title="Anders")
    assert version.modules.count() == 4


def test_a_new_version_is_a_deep_copy_with_prerequisites_remapped(cast: Cast) -> None:
    version = approved(cast)
    copy = services.programme_version_draft(programme=version.programme, by=acting(cast, Role.HR))
    assert copy.number == 2
    assert copy.status == VersionStatus.DRAFT
    assert copy.phases.count() == 3
    assert copy.modules.count() == 4
    filling = copy.modules.get(title="Saus afvullen")
    assert filling.copied_from is not None
    assert filling.copied_from.version_id == version.pk
    # The prerequisite is the copy in the new version, not the old module.
    assert [m.version_id for m in filling.prerequisites.all()] == [copy.pk]
    assert filling.objectives.count() == 2
    assert filling.faults.count() == 1
    assert filling.checklist.count() == 2
    assert filling.competences.count() == 1
    assert filling.instruction_links.count() == 1
    # Asking again returns the open draft instead of a third version.
    again = services.programme_version_draft(programme=version.programme, by=acting(cast, Role.HR))
    assert again.pk == copy.pk


def test_version_2_needs_a_change_summary_and_supersedes_version_1(cast: Cast) -> None:
    version = approved(cast)
    copy = services.programme_version_draft(programme=version.programme, by=acting(cast, Role.HR))
    with pytest.raises(ValidationError) as caught:
        services.version_submit(version=copy, by=acting(cast, Role.HR))
    assert "change_summary" in errors(caught)
    services.version_submit(
        version=copy, by=acting(cast, Role.HR), change_summary="De peter tekent nu elke module."
    )
    services.version_approve(version=copy, by=second_hr_or_existing(cast))
    version.refresh_from_db()
    assert version.status == VersionStatus.SUPERSEDED


def test_a_prerequisite_cycle_is_refused(cast: Cast) -> None:
    version = draft(programme(cast))
    first = phase(cast, version)
    one = module(cast, first, "Een")
    two = module(cast, first, "Twee", prerequisites=[one])
    with pytest.raises(ValidationError) as caught:
        services.module_update(module=one, by=acting(cast, Role.HR), prerequisites=[two])
    assert "prerequisites" in errors(caught)
    assert list(Module.objects.get(pk=one.pk).prerequisites.all()) == []


def test_a_shortest_duration_above_the_planned_one_is_named(cast: Cast) -> None:
    version = draft(programme(cast))
    first = phase(cast, version)
    with pytest.raises(ValidationError) as caught:
        module(cast, first, "Te kort", duration=2, duration_min=5)
    assert "duration_min" in errors(caught)
    assert version.modules.count() == 0


def test_an_employee_cannot_write_programmes(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.programme_create(
            organisation=cast.organisation,
            by=acting(cast, Role.EMPLOYEE),
            code="X",
            title="Niet toegestaan",
        )
