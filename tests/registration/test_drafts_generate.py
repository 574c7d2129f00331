"""Drafting informal registrations from workplace learning (REG-08): one test per source, the
rule against counting a module twice, idempotency, tenancy and the query bound."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.registration.models import (
    Activity,
    ActivityStatus,
    Category,
    InformalKind,
    Participation,
    ParticipationStatus,
    Source,
)
from leerplek.registration.services_drafts import drafts_generate
from leerplek.training import services_learning
from leerplek.training.models import AssignmentStatus, Attempt
from tests.factories import Cast
from tests.registration.factories_drafts import (
    acting_user,
    complete,
    confirm,
    ended_coaching,
    ended_peter,
    external_certificate,
    following,
    modules_of,
    passed_test,
)
from tests.training.test_certificates_services import attest

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def generate(cast: Cast) -> dict[str, int]:
    return drafts_generate(organisation=cast.organisation)


def only_draft(source: str) -> tuple[Activity, Participation]:
    activity = Activity.objects.get(source=source)
    return activity, activity.participations.get()


def test_a_confirmed_module_becomes_a_draft_with_its_planned_hours(cast: Cast) -> None:
    assignment = following(cast, weeks=2)
    signoff = confirm(cast, assignment, modules_of(assignment)[1])
    assert generate(cast)[Source.MODULE] == 1
    activity, participation = only_draft(Source.MODULE)
    # Two weeks of five working days of 7.6 hours.
    assert participation.hours == Decimal("76.00")
    assert participation.employee == cast.worker
    assert participation.status == ParticipationStatus.COMPLETED
    assert activity.status == ActivityStatus.DRAFT
    assert activity.category == Category.INFORMAL
    assert activity.informal_kind == InformalKind.ON_THE_JOB
    assert activity.source_key == f"signoff:{signoff.pk}"
    assert activity.title == "Module “Saus afvullen” of Programma DRF"
    assert (activity.start_date, activity.end_date) == (TODAY - datetime.timedelta(days=13), TODAY)


def test_a_module_of_one_day_counts_one_working_day(cast: Cast) -> None:
    assignment = following(cast)
    confirm(cast, assignment, modules_of(assignment)[0])
    generate(cast)
    activity, participation = only_draft(Source.MODULE)
    assert participation.hours == Decimal("7.60")
    assert activity.start_date == activity.end_date == TODAY


def test_a_declared_or_revoked_signoff_gives_no_draft(cast: Cast) -> None:
    assignment = following(cast)
    first, second = modules_of(assignment)
    from tests.training.factories_learning import declared

    declared(assignment, first)
    signoff = confirm(cast, assignment, second)
    services_learning.signoff_revoke(
        signoff=signoff, by=acting_user(cast, Role.HR), reason="Signed the wrong module"
    )
    assert generate(cast)[Source.MODULE] == 0
    assert not Activity.objects.exists()


def test_a_programme_completed_at_once_gets_one_summary_draft(cast: Cast) -> None:
    assignment = complete(cast, following(cast, weeks=2))
    assert assignment.status == AssignmentStatus.COMPLETED
    counts = generate(cast)
    assert (counts[Source.MODULE], counts[Source.PROGRAMME]) == (0, 1)
    activity, participation = only_draft(Source.PROGRAMME)
    assert participation.hours == Decimal("83.60")  # 7.6 for the e-learning + 76 practical
    assert activity.source_key == f"programme:{assignment.pk}"
    assert activity.title == "Programme “Programma DRF” completed"
    assert (activity.start_date, activity.end_date) == (assignment.started_on, TODAY)


def test_modules_drafted_before_completion_are_not_counted_again(cast: Cast) -> None:
    assignment = following(cast, weeks=2)
    first, second = modules_of(assignment)
    confirm(cast, assignment, first)
    generate(cast)
    confirm(cast, assignment, second)  # completes the programme
    counts = generate(cast)
    assert (counts[Source.MODULE], counts[Source.PROGRAMME]) == (0, 1)
    _activity, summary = only_draft(Source.PROGRAMME)
    assert summary.hours == Decimal("76.00")  # only the module without a draft of its own
    total = sum(Participation.objects.values_list("hours", flat=True), Decimal(0))
    assert total == Decimal("83.60")


def test_a_programme_whose_modules_all_have_drafts_gets_none(cast: Cast) -> None:
    assignment = following(cast)
    first, second = modules_of(assignment)
    confirm(cast, assignment, first)
    generate(cast)
    # The last sign-off completes the programme; without a draft of its own it goes into the
    # summary. Draft the first alone, then complete: the summary holds the second only.
    confirm(cast, assignment, second)
    generate(cast)
    assert Activity.objects.filter(source=Source.MODULE).count() == 1
    assert Activity.objects.filter(source=Source.PROGRAMME).count() == 1
    assert generate(cast)[Source.PROGRAMME] == 0


def test_an_ended_peter_period_gives_an_hour_per_week(cast: Cast) -> None:
    guidance = ended_peter(cast, weeks=4)
    assert generate(cast)[Source.GUIDANCE] == 1
    activity, participation = only_draft(Source.GUIDANCE)
    assert participation.hours == Decimal("4.00")
    assert participation.employee == guidance.learner
    assert activity.informal_kind == InformalKind.COACHING
    assert activity.title == "Peter/meter with Piet Peter"
    assert (activity.start_date, activity.end_date) == (guidance.starts_on, guidance.ends_on)
    assert activity.source_key == f"guidance:{guidance.pk}"


def test_the_weekly_guidance_hours_are_a_setting(cast: Cast, settings: object) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "DRAFT_GUIDANCE_HOURS_PER_WEEK": "2.5"}  # type: ignore[attr-defined]
    ended_peter(cast, weeks=4)
    generate(cast)
    assert only_draft(Source.GUIDANCE)[1].hours == Decimal("10.00")


def test_guidance_still_running_gives_no_draft(cast: Cast) -> None:
    from tests.onboarding.factories_guidance import coaching

    coaching(cast, accept=True)
    assert generate(cast)[Source.GUIDANCE] == 0


def test_an_ended_coaching_engagement_gives_a_draft(cast: Cast) -> None:
    guidance = ended_coaching(cast)
    generate(cast)
    activity, participation = only_draft(Source.GUIDANCE)
    assert activity.title == "Coaching with Coach Coach"
    assert participation.hours == Decimal("1.00")
    assert participation.employee == guidance.learner


def test_a_passed_test_gives_a_draft_of_the_default_hours(cast: Cast) -> None:
    attempt = passed_test(cast)
    assert attempt.passed
    assert generate(cast)[Source.TEST] == 1
    activity, participation = only_draft(Source.TEST)
    assert participation.hours == Decimal("1.00")
    assert participation.employee == cast.employees[Role.EMPLOYEE]
    assert activity.title == "Test “Eindtest DTST” passed"
    assert activity.source_key == f"attempt:{attempt.pk}"
    assert activity.end_date == timezone.localdate(attempt.submitted_at)


def test_failed_and_practice_attempts_give_no_draft(cast: Cast) -> None:
    attempt = passed_test(cast)
    Attempt.objects.filter(pk=attempt.pk).update(passed=False)
    Attempt.objects.create(
        organisation=cast.organisation,
        test=attempt.test,
        employee=attempt.employee,
        is_practice=True,
        submitted_at=timezone.now(),
        passed=True,
    )
    assert generate(cast)[Source.TEST] == 0


def test_an_external_certificate_gives_a_draft(cast: Cast) -> None:
    certificate = external_certificate(cast, issued_on=datetime.date(2025, 5, 2))
    assert generate(cast)[Source.CERTIFICATE] == 1
    activity, participation = only_draft(Source.CERTIFICATE)
    assert activity.title == "External certificate “VCA basis”"
    assert activity.informal_kind == InformalKind.KNOW_HOW
    assert activity.end_date == datetime.date(2025, 5, 2)
    assert participation.hours == Decimal("1.00")
    assert activity.source_key == f"certificate:{certificate.pk}"


def test_an_attest_of_a_test_attempt_is_the_attempts_draft(cast: Cast) -> None:
    attest(cast, issued_on=TODAY)
    counts = generate(cast)
    assert (counts[Source.CERTIFICATE], counts[Source.TEST]) == (0, 1)


def every_source(cast: Cast) -> None:
    assignment = following(cast, code="ALL-A")
    confirm(cast, assignment, modules_of(assignment)[0])
    complete(cast, following(cast, code="ALL-B", employee=cast.employees[Role.MENTOR]))
    ended_peter(cast)
    ended_coaching(cast)
    passed_test(cast)
    external_certificate(cast)


def test_running_twice_creates_nothing_new(cast: Cast) -> None:
    every_source(cast)
    first = generate(cast)
    assert first == {
        Source.MODULE: 1,
        Source.PROGRAMME: 1,
        Source.GUIDANCE: 2,
        Source.TEST: 1,
        Source.CERTIFICATE: 1,
    }
    made = Activity.objects.count()
    assert sum(generate(cast).values()) == 0
    assert Activity.objects.count() == made == 6
    assert Participation.objects.count() == made
    # One audit entry for the run that wrote, none for the run that found nothing.
    assert AuditEntry.objects.filter(action="registration.drafts_generated").count() == 1


def test_rejected_drafts_are_not_made_again(cast: Cast) -> None:
    ended_peter(cast)
    generate(cast)
    Activity.objects.update(status=ActivityStatus.REJECTED)
    assert generate(cast)[Source.GUIDANCE] == 0


def test_since_leaves_older_learning_alone(cast: Cast) -> None:
    external_certificate(cast, issued_on=datetime.date(2024, 5, 2))
    external_certificate(cast, title="Heftruck", issued_on=datetime.date(2025, 6, 1))
    counts = drafts_generate(organisation=cast.organisation, since=datetime.date(2025, 1, 1))
    assert counts[Source.CERTIFICATE] == 1
    assert Activity.objects.get().title == "External certificate “Heftruck”"


def test_another_organisations_learning_is_not_drafted(cast: Cast) -> None:
    every_source(cast)
    assert cast.other_organisation is not None
    assert sum(drafts_generate(organisation=cast.other_organisation).values()) == 0
    assert not Activity.objects.filter(organisation=cast.other_organisation).exists()


def test_the_command_drafts_every_organisation_and_says_so(cast: Cast) -> None:
    from io import StringIO

    every_source(cast)
    out = StringIO()
    call_command("registration_drafts", stdout=out)
    assert "voeding-test: 6 new drafts" in out.getvalue()
    out = StringIO()
    call_command("registration_drafts", "--organisation", "voeding-test", stdout=out)
    assert "voeding-test: 0 new drafts" in out.getvalue()


def test_drafting_reads_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries: object
) -> None:
    # The organisation lock, the existing keys, one read per source (sign-offs, completed
    # programmes with their modules and sign-offs, guidance, attempts, certificates), one insert
    # of activities and one of participations, the audit entry, and the savepoint pair.
    every_source(cast)
    with django_assert_num_queries(14):  # type: ignore[operator]
        small = generate(cast)
    assert sum(small.values()) == 6
    for number in range(6):
        assignment = following(cast, code=f"GROW-{number}")
        if number % 2:
            complete(cast, assignment)
        else:
            confirm(cast, assignment, modules_of(assignment)[0])
        external_certificate(cast, title=f"Cert {number}")
        ended_peter(cast)
    with django_assert_num_queries(14):  # type: ignore[operator]
        grown = generate(cast)
    assert sum(grown.values()) == 18
