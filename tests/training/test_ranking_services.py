"""The machine ranking: opening a round, scoring all machines at once (refusals keyed by field,
nothing saved on a refusal), the weighted ranking computed by hand, closing; and the usage
statistics of the programmes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.training import selectors_ranking, services_ranking
from leerplek.training.models import (
    AssignmentStatus,
    Audience,
    MachineScore,
    ProgrammeAssignment,
    Signoff,
)
from leerplek.training.services_ranking import ERRORS, score_field
from tests.factories import Cast, EmployeeFactory, WorkstationFactory
from tests.training.factories import approved_instruction, approved_programme, assigned
from tests.training.factories_leittext import acting, user_of
from tests.training.factories_ranking import answers, kitchen, open_round, score

pytestmark = pytest.mark.django_db

WEIGHTS = {"problems": 3, "shared_use": 2, "training_time": 2, "downtime": 3}


@pytest.fixture(autouse=True)
def _known_weights(settings):  # type: ignore[no-untyped-def]
    settings.LEERPLEK_RANKING_WEIGHTS = dict(WEIGHTS)


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {key: [item.code for item in items] for key, items in error.error_dict.items()}


# --- Rounds --------------------------------------------------------------------------------------


def test_hr_opens_a_round_for_a_unit_and_it_is_audited(cast: Cast) -> None:
    ranking_round = open_round(cast)
    assert ranking_round.unit == cast.production
    assert ranking_round.machines_only
    assert ranking_round.opened_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="training.ranking_opened").count() == 1


def test_only_hr_opens_a_round(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services_ranking.ranking_round_create(
            organisation=cast.organisation, by=acting(cast, Role.MANAGER), title="Mijn ronde"
        )


def test_a_round_needs_a_title_and_a_unit_of_the_organisation(cast: Cast) -> None:
    with pytest.raises(ValidationError) as missing:
        open_round(cast, title="  ")
    assert codes(missing.value) == {"title": ["title_missing"]}
    assert cast.other_organisation is not None
    other_unit = cast.other_organisation.units.get()
    with pytest.raises(ValidationError) as foreign:
        open_round(cast, unit=other_unit)
    assert codes(foreign.value) == {"unit": ["other_organisation"]}


def test_the_round_scores_the_machines_of_its_unit_and_below(cast: Cast) -> None:
    machines = kitchen(cast)
    WorkstationFactory(organisation=cast.organisation, unit=cast.office, is_machine=True)
    only_machines = selectors_ranking.round_machines(open_round(cast))
    assert list(only_machines) == sorted(machines, key=lambda machine: machine.name)
    every = selectors_ranking.round_machines(open_round(cast, title="Alles", machines_only=False))
    assert "Werktafel" in [workstation.name for workstation in every]
    whole = selectors_ranking.round_machines(open_round(cast, title="Bedrijf", unit=None))
    assert whole.count() == len(machines) + 1  # the office machine too


# --- Scoring -------------------------------------------------------------------------------------


def test_the_weighted_ranking_is_computed_as_documented(cast: Cast) -> None:
    mixer, cooker, filler, labeller = kitchen(cast)
    ranking_round = open_round(cast)
    manager = acting(cast, Role.MANAGER)
    hr = acting(cast, Role.HR)
    score(
        ranking_round,
        manager,
        {mixer: answers(5, 4, 3, 5), cooker: answers(5, 1, 1, 1), filler: answers(2, 2, 2, 2)},
    )
    score(ranking_round, hr, {mixer: answers(3, 4, 5, 5), cooker: answers(5, 3, 1, 1)})

    result = selectors_ranking.ranking_result(ranking_round=ranking_round)
    # By hand, weights 3/2/2/3 (sum 10):
    # Mengketel  averages 4, 4, 4, 5 -> (3*4 + 2*4 + 2*4 + 3*5) / 10 = 43 / 10 = 4.30
    # Kookketel  averages 5, 2, 1, 1 -> (3*5 + 2*2 + 2*1 + 3*1) / 10 = 24 / 10 = 2.40
    # Afvullijn  averages 2, 2, 2, 2 -> 2.00 (one scorer)
    ranked = [(row.rank, row.workstation, row.score, row.scorer_count) for row in result.scored]
    assert ranked == [
        (1, mixer, Decimal("4.30"), 2),
        (2, cooker, Decimal("2.40"), 2),
        (3, filler, Decimal("2.00"), 1),
    ]
    assert result.scored[1].averages == {
        "problems": Decimal("5.00"),
        "shared_use": Decimal("2.00"),
        "training_time": Decimal("1.00"),
        "downtime": Decimal("1.00"),
    }
    assert [row.workstation for row in result.unscored] == [labeller]
    assert result.scorer_count == 2
    assert result.weights == WEIGHTS


def test_the_weights_come_from_the_settings(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    mixer, cooker, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    score(
        ranking_round,
        acting(cast, Role.MANAGER),
        {mixer: answers(4, 4, 4, 5), cooker: answers(5, 1, 1, 1)},
    )
    # Only the problems count: the cooker (5) now beats the mixer (4).
    settings.LEERPLEK_RANKING_WEIGHTS = {
        "problems": 1,
        "shared_use": 0,
        "training_time": 0,
        "downtime": 0,
    }
    result = selectors_ranking.ranking_result(ranking_round=ranking_round)
    assert [(row.workstation, row.score) for row in result.scored] == [
        (cooker, Decimal("5.00")),
        (mixer, Decimal("4.00")),
    ]


def test_equal_scores_share_a_rank(cast: Cast) -> None:
    mixer, cooker, filler, _labeller = kitchen(cast)
    ranking_round = open_round(cast)
    score(
        ranking_round,
        acting(cast, Role.MANAGER),
        {mixer: answers(5, 5, 5, 5), cooker: answers(3, 3, 3, 3), filler: answers(3, 3, 3, 3)},
    )
    ranks = [
        row.rank for row in selectors_ranking.ranking_result(ranking_round=ranking_round).scored
    ]
    assert ranks == [1, 2, 2]


def test_the_result_tells_which_machines_have_an_approved_instruction(cast: Cast) -> None:
    mixer, cooker, *_ = kitchen(cast)
    instruction = approved_instruction(cast, code="WI-MENG", workstation=mixer)
    ranking_round = open_round(cast)
    score(
        ranking_round,
        acting(cast, Role.MANAGER),
        {mixer: answers(5, 5, 5, 5), cooker: answers(4, 4, 4, 4)},
    )
    result = selectors_ranking.ranking_result(ranking_round=ranking_round)
    assert result.scored[0].instructions == [(instruction.pk, "WI-MENG")]
    # The best machine has one: the instruction writing starts at the cooker.
    assert result.top_without_instruction is not None
    assert result.top_without_instruction.workstation == cooker


def test_an_out_of_range_score_refuses_everything_with_an_error_per_field(cast: Cast) -> None:
    mixer, cooker, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    with pytest.raises(ValidationError) as refused:
        score(
            ranking_round,
            acting(cast, Role.MANAGER),
            {mixer: answers(6, 4, 0, 5), cooker: answers(3, 3, 3, 3)},
        )
    assert codes(refused.value) == {
        score_field(mixer.pk, "problems"): ["out_of_range"],
        score_field(mixer.pk, "training_time"): ["out_of_range"],
    }
    message = refused.value.error_dict[score_field(mixer.pk, "problems")][0]
    assert list(message) == [ERRORS["out_of_range"] % {"machine": "Mengketel", "min": 1, "max": 5}]
    # The correct cooker row is not saved either.
    assert not MachineScore.objects.exists()


def test_a_machine_is_scored_on_all_four_questions_or_not_at_all(cast: Cast) -> None:
    mixer, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    with pytest.raises(ValidationError) as refused:
        score(ranking_round, acting(cast, Role.MANAGER), {mixer: {"problems": 4}})
    assert set(codes(refused.value)) == {
        score_field(mixer.pk, question) for question in ("shared_use", "training_time", "downtime")
    }
    with pytest.raises(ValidationError) as empty:
        score(ranking_round, acting(cast, Role.MANAGER), {mixer: {}})
    assert codes(empty.value) == {"round": ["nothing_scored"]}
    assert not MachineScore.objects.exists()


def test_a_machine_outside_the_round_is_refused(cast: Cast) -> None:
    kitchen(cast)
    office_machine = WorkstationFactory(
        organisation=cast.organisation, unit=cast.office, is_machine=True
    )
    ranking_round = open_round(cast)
    with pytest.raises(ValidationError) as refused:
        score(ranking_round, acting(cast, Role.MANAGER), {office_machine: answers(1, 1, 1, 1)})
    assert codes(refused.value) == {score_field(office_machine.pk, "problems"): ["not_in_round"]}


def test_scoring_again_replaces_ones_own_scores(cast: Cast) -> None:
    mixer, cooker, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    manager = acting(cast, Role.MANAGER)
    score(ranking_round, manager, {mixer: answers(1, 1, 1, 1), cooker: answers(2, 2, 2, 2)})
    score(ranking_round, manager, {mixer: {**answers(5, 4, 3, 2), "note": "Lekt vaak"}})
    mine = {row.workstation_id: row for row in MachineScore.objects.filter(scorer=manager)}
    assert len(mine) == 2
    assert (mine[mixer.pk].problems, mine[mixer.pk].downtime, mine[mixer.pk].note) == (
        5,
        2,
        "Lekt vaak",
    )
    # Left empty the second time: the cooker keeps its first score.
    assert mine[cooker.pk].problems == 2
    assert AuditEntry.objects.filter(action="training.machines_scored").count() == 2


def test_a_worker_cannot_score(cast: Cast) -> None:
    mixer, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    assert cast.employees[Role.EMPLOYEE].user is not None
    with pytest.raises(PermissionDenied):
        score(
            ranking_round,
            user_of(cast.employees[Role.EMPLOYEE], cast),
            {mixer: answers(1, 1, 1, 1)},
        )
    assert not MachineScore.objects.exists()


# --- Closing -------------------------------------------------------------------------------------


def test_a_closed_round_refuses_new_scores_and_a_second_close(cast: Cast) -> None:
    mixer, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    score(ranking_round, acting(cast, Role.MANAGER), {mixer: answers(3, 3, 3, 3)})
    closed = services_ranking.ranking_round_close(
        ranking_round=ranking_round, by=acting(cast, Role.HR)
    )
    assert closed.closed_on == timezone.localdate()
    assert closed.closed_by == cast.user(Role.HR)
    with pytest.raises(ValidationError) as refused:
        score(ranking_round, acting(cast, Role.MANAGER), {mixer: answers(5, 5, 5, 5)})
    assert codes(refused.value) == {"round": ["closed"]}
    assert MachineScore.objects.get().problems == 3
    with pytest.raises(ValidationError) as again:
        services_ranking.ranking_round_close(ranking_round=ranking_round, by=acting(cast, Role.HR))
    assert codes(again.value) == {"round": ["already_closed"]}
    entry = AuditEntry.objects.get(action="training.ranking_closed")
    assert entry.after is not None
    assert entry.after["scorers"] == 1


def test_a_manager_cannot_close(cast: Cast) -> None:
    ranking_round = open_round(cast)
    with pytest.raises(PermissionDenied):
        services_ranking.ranking_round_close(
            ranking_round=ranking_round, by=acting(cast, Role.MANAGER)
        )


def test_rounds_to_score_are_the_open_ones_without_ones_own_scores(cast: Cast) -> None:
    mixer, *_ = kitchen(cast)
    manager = acting(cast, Role.MANAGER)
    waiting = open_round(cast, title="Wacht")
    done = open_round(cast, title="Gedaan")
    closed = open_round(cast, title="Gesloten")
    score(done, manager, {mixer: answers(2, 2, 2, 2)})
    score(waiting, acting(cast, Role.HR), {mixer: answers(2, 2, 2, 2)})  # someone else's
    services_ranking.ranking_round_close(ranking_round=closed, by=acting(cast, Role.HR))
    rows = selectors_ranking.rounds_to_score(organisation_id=cast.organisation.pk, scorer=manager)
    assert rows == [waiting]


# --- Usage statistics ----------------------------------------------------------------------------


def test_usage_counts_people_per_programme_and_audience(cast: Cast) -> None:
    today = timezone.localdate()
    sauce = approved_programme(cast, code="SAUS", title="Sausbereider")
    cleaning = approved_programme(cast, code="REIN", title="Reiniging")
    people = [
        EmployeeFactory(organisation=cast.organisation, unit=cast.packaging) for _ in range(4)
    ]
    days = datetime.timedelta
    # Two completions of the sauce programme, in 10 and 20 days; one stopped; one following.
    assigned(
        cast,
        sauce,
        employee=people[0],
        audience=Audience.NEWCOMER,
        started_on=today - days(40),
        status=AssignmentStatus.COMPLETED,
        completed_on=today - days(30),
    )
    assigned(
        cast,
        sauce,
        employee=people[1],
        audience=Audience.INTERN,
        started_on=today - days(40),
        status=AssignmentStatus.COMPLETED,
        completed_on=today - days(20),
    )
    assigned(
        cast,
        sauce,
        employee=people[2],
        audience=Audience.IBO,
        started_on=today - days(5),
        status=AssignmentStatus.STOPPED,
    )
    following = assigned(cast, cleaning, employee=people[3], audience=Audience.MOVER)
    first, second = following.version.modules.order_by("position")
    for module, confirmed_at in (
        (first, timezone.now() - days(10)),
        (second, timezone.now() - days(400)),
    ):
        Signoff.objects.create(
            organisation=cast.organisation,
            assignment=following,
            module=module,
            version_number=1,
            declared_at=confirmed_at,
            confirmed_at=confirmed_at,
        )
    # A revoked sign-off does not count.
    Signoff.objects.create(
        organisation=cast.organisation,
        assignment=following,
        module=first,
        version_number=1,
        declared_at=timezone.now(),
        confirmed_at=timezone.now(),
        revoked_at=timezone.now(),
        revoke_reason="Verkeerde machine",
    )

    report = selectors_ranking.usage_statistics(organisation_id=cast.organisation.pk)

    total = report.total
    assert (total.following, total.completed, total.stopped) == (1, 2, 1)
    assert total.confirmed_modules == 1
    assert total.average_days == Decimal("15.0")
    by_programme = {row.label: row for row in report.programmes}
    assert (by_programme["Sausbereider"].completed, by_programme["Sausbereider"].stopped) == (2, 1)
    assert by_programme["Sausbereider"].average_days == Decimal("15.0")
    assert by_programme["Reiniging"].confirmed_modules == 1
    assert by_programme["Reiniging"].average_days is None
    by_audience = {row.key: row for row in report.audiences}
    assert set(by_audience) == set(Audience.values)  # every audience, also without anyone
    assert by_audience[Audience.NEWCOMER].average_days == Decimal("10.0")
    assert by_audience[Audience.INTERN].average_days == Decimal("20.0")
    assert by_audience[Audience.IBO].stopped == 1
    assert by_audience[Audience.MOVER].following == 1
    assert by_audience[Audience.EXTERNAL].total == 0
    assert ProgrammeAssignment.objects.count() == 4


def test_usage_counts_only_the_own_organisation(cast: Cast) -> None:
    assigned(cast, approved_programme(cast))
    assert cast.other_organisation is not None
    report = selectors_ranking.usage_statistics(organisation_id=cast.other_organisation.pk)
    assert report.total.total == 0
    assert report.programmes == []
