"""The ranking and usage pages: HR opens and closes a round, a production manager scores all
machines on one form, the result orders the instruction writing; refusals on the page with
nothing saved; a closed round is read-only; who may open what; fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.training import services_ranking
from leerplek.training.models import AssignmentStatus, MachineScore, RankingRound
from leerplek.training.services_ranking import ERRORS, score_field
from tests.factories import Cast, EmployeeFactory, UserFactory, grant
from tests.training.factories import approved_instruction, approved_programme, assigned
from tests.training.factories_leittext import acting
from tests.training.factories_ranking import answers, kitchen, open_round, post_data, score

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _known_weights(settings):  # type: ignore[no-untyped-def]
    settings.LEERPLEK_RANKING_WEIGHTS = {
        "problems": 3,
        "shared_use": 2,
        "training_time": 2,
        "downtime": 3,
    }


def url(name: str, ranking_round: RankingRound | None = None) -> str:
    if ranking_round is None:
        return reverse(f"training:{name}")
    return reverse(f"training:{name}", kwargs={"ranking_round_id": ranking_round.pk})


def test_hr_opens_a_round_on_the_form(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.HR))
    assert client.get(url("ranking-create")).status_code == 200
    response = client.post(
        url("ranking-create"),
        {
            "title": "Sauskeuken",
            "unit": cast.production.pk,
            "machines_only": "on",
            "opened_on": "2026-11-02",
        },
    )
    ranking_round = RankingRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("ranking-result", ranking_round)
    assert (ranking_round.title, ranking_round.unit, ranking_round.machines_only) == (
        "Sauskeuken",
        cast.production,
        True,
    )


def test_the_manager_scores_every_machine_at_once_and_sees_the_ranking(
    cast: Cast, client_for: Any
) -> None:
    mixer, cooker, filler, labeller = kitchen(cast)
    approved_instruction(cast, code="WI-KOOK", workstation=cooker)
    ranking_round = open_round(cast)
    score(ranking_round, acting(cast, Role.HR), {mixer: answers(3, 4, 5, 5)})
    client = client_for(cast.user(Role.MANAGER))
    page = client.get(url("ranking-score", ranking_round)).content.decode()
    for machine in (mixer, cooker, filler, labeller):
        assert machine.name in page
    assert "Werktafel" not in page  # not a machine
    response = client.post(
        url("ranking-score", ranking_round),
        post_data(
            {
                mixer: {**answers(5, 4, 3, 5), "note": "Pomp slijt snel"},
                cooker: answers(5, 3, 1, 1),
                filler: answers(2, 2, 2, 2),
            }
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == url("ranking-result", ranking_round)
    assert MachineScore.objects.filter(scorer=cast.user(Role.MANAGER)).count() == 3
    assert MachineScore.objects.get(workstation=mixer, scorer=cast.user(Role.MANAGER)).note == (
        "Pomp slijt snel"
    )

    result = client.get(url("ranking-result", ranking_round))
    body = result.content.decode()
    # Mengketel 4.30 (two scorers), Kookketel (5*3 + 3*2 + 1*2 + 1*3) / 10 = 2.60, Afvullijn 2.00.
    rows = list(result.context["rows"])
    assert [(row.rank, row.workstation.name, str(row.score)) for row in rows] == [
        (1, "Mengketel", "4.30"),
        (2, "Kookketel", "2.60"),
        (3, "Afvullijn", "2.00"),
    ]
    assert rows[0].scorer_count == 2
    assert body.index("Mengketel") < body.index("Kookketel") < body.index("Afvullijn")
    # The cooker has an approved instruction; the others get the link to write one.
    assert "WI-KOOK" in body
    create = reverse("training:instruction-create")
    assert f'href="{create}?workstation={mixer.pk}"' in body
    assert f'href="{create}?workstation={cooker.pk}"' not in body
    assert "Etiketteerder" in body  # listed as not scored yet
    # Earlier scores are filled in on a second visit.
    again = client.get(url("ranking-score", ranking_round)).content.decode()
    assert "Your earlier scores are filled in" in again


def test_an_out_of_range_score_is_refused_on_its_field_and_nothing_is_saved(
    cast: Cast, client_for: Any
) -> None:
    mixer, cooker, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    client = client_for(cast.user(Role.MANAGER))
    response = client.post(
        url("ranking-score", ranking_round),
        post_data({mixer: answers(7, 4, 3, 5), cooker: answers(3, 3, 3, 3)}),
    )
    assert response.status_code == 422
    form = response.context["form"]
    expected = ERRORS["out_of_range"] % {"machine": "Mengketel", "min": 1, "max": 5}
    assert form.errors == {score_field(mixer.pk, "problems"): [expected]}
    assert expected in response.content.decode()
    assert not MachineScore.objects.exists()


def test_a_half_scored_machine_and_an_empty_form_are_refused(cast: Cast, client_for: Any) -> None:
    mixer, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    client = client_for(cast.user(Role.MANAGER))
    half = client.post(url("ranking-score", ranking_round), post_data({mixer: {"problems": 4}}))
    assert half.status_code == 422
    assert set(half.context["form"].errors) == {
        score_field(mixer.pk, question) for question in ("shared_use", "training_time", "downtime")
    }
    empty = client.post(url("ranking-score", ranking_round), {})
    assert empty.status_code == 422
    assert str(ERRORS["nothing_scored"]) in empty.content.decode()
    assert not MachineScore.objects.exists()


def test_a_closed_round_is_read_only(cast: Cast, client_for: Any) -> None:
    mixer, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    score(ranking_round, acting(cast, Role.MANAGER), {mixer: answers(3, 3, 3, 3)})
    hr = client_for(cast.user(Role.HR))
    # An empty POST does not close the round: the box must be ticked.
    assert hr.post(url("ranking-close", ranking_round), {}).status_code == 422
    ranking_round.refresh_from_db()
    assert ranking_round.closed_on is None
    assert hr.post(url("ranking-close", ranking_round), {"confirm": "on"}).status_code == 302
    ranking_round.refresh_from_db()
    assert ranking_round.closed_on is not None
    assert hr.get(url("ranking-close", ranking_round)).status_code == 302

    manager = client_for(cast.user(Role.MANAGER))
    assert manager.get(url("ranking-score", ranking_round))["Location"] == url(
        "ranking-result", ranking_round
    )
    response = manager.post(
        url("ranking-score", ranking_round), post_data({mixer: answers(5, 5, 5, 5)})
    )
    assert response.status_code == 302
    assert MachineScore.objects.get().problems == 3
    result = manager.get(url("ranking-result", ranking_round)).content.decode()
    assert url("ranking-score", ranking_round) not in result
    assert url("ranking-close", ranking_round) not in result
    assert "The scores can no longer change" in result


def test_who_may_open_what(cast: Cast, client_for: Any) -> None:
    ranking_round = open_round(cast)
    worker = client_for(cast.user(Role.EMPLOYEE))
    for name in ("ranking-list", "usage", "ranking-create"):
        assert worker.get(url(name)).status_code == 403, name
    for name in ("ranking-score", "ranking-result", "ranking-close"):
        assert worker.get(url(name, ranking_round)).status_code == 403, name
    assert worker.post(url("ranking-score", ranking_round), {}).status_code == 403
    manager = client_for(cast.user(Role.MANAGER))
    assert manager.get(url("ranking-list")).status_code == 200
    assert manager.get(url("usage")).status_code == 403
    assert manager.get(url("ranking-create")).status_code == 403
    assert manager.get(url("ranking-close", ranking_round)).status_code == 403
    hr = client_for(cast.user(Role.HR))
    assert hr.get(url("usage")).status_code == 200
    # Another organisation's round does not exist for its HR.
    assert cast.other_hr is not None
    other = client_for(cast.other_hr)
    assert other.get(url("ranking-result", ranking_round)).status_code == 404


def test_the_manager_sees_the_open_round_on_his_home_page_until_he_scored(
    cast: Cast, client_for: Any
) -> None:
    mixer, *_ = kitchen(cast)
    ranking_round = open_round(cast)
    client = client_for(cast.user(Role.MANAGER))
    score_url = url("ranking-score", ranking_round)
    assert score_url in client.get(reverse("core:home")).content.decode()
    score(ranking_round, acting(cast, Role.MANAGER), {mixer: answers(2, 2, 2, 2)})
    assert score_url not in client.get(reverse("core:home")).content.decode()
    # HR keeps the rounds and gets no card to score.
    hr = client_for(cast.user(Role.HR))
    assert score_url not in hr.get(reverse("core:home")).content.decode()


def test_the_usage_page_shows_the_audiences(cast: Cast, client_for: Any) -> None:
    version = approved_programme(cast, code="SAUS", title="Sausbereider")
    assigned(cast, version, audience="ibo")
    body = client_for(cast.user(Role.HR)).get(url("usage")).content.decode()
    for text in ("Sausbereider", "IBO trainee", "Intern", "Internal move", "External trainee"):
        assert text in body


def test_the_pages_keep_their_query_count_as_machines_and_scorers_grow(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    machines = kitchen(cast)
    ranking_round = open_round(cast)
    score(ranking_round, acting(cast, Role.HR), {machines[0]: answers(3, 3, 3, 3)})
    version = approved_programme(cast)
    assigned(cast, version)
    hr = client_for(cast.user(Role.HR))
    pages = {
        "list": url("ranking-list"),
        "score": url("ranking-score", ranking_round),
        "result": url("ranking-result", ranking_round),
        "usage": url("usage"),
        "home": reverse("core:home"),
    }
    counts = {}
    for name, page in pages.items():
        with django_assert_max_num_queries(40) as before:
            assert hr.get(page).status_code == 200
        counts[name] = len(before.captured_queries)

    # Twenty more machines, six more production managers who score all of them, instructions
    # for a few, more rounds, and more learners in every status.
    machines += kitchen_more(cast, 20)
    for number, machine in enumerate(machines[:5]):
        approved_instruction(cast, code=f"WI-{number}", workstation=machine)
    for number in range(6):
        user = UserFactory()
        grant(user, cast.organisation, Role.MANAGER, cast.production)
        services_ranking.machine_scores_save(
            ranking_round=ranking_round,
            by=_loaded(user, cast),
            scores={
                machine.pk: answers(1 + (number + i) % 5, 2, 3, 1 + i % 5)
                for i, machine in enumerate(machines)
            },
        )
        open_round(cast, title=f"Ronde {number}")
    for number in range(10):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging)
        status = [AssignmentStatus.ACTIVE, AssignmentStatus.COMPLETED, AssignmentStatus.STOPPED][
            number % 3
        ]
        programme = approved_programme(cast, code=f"P{number}", title=f"Programma {number}")
        assigned(
            cast,
            programme,
            employee=person,
            status=status,
            audience=["newcomer", "intern", "ibo", "mover"][number % 4],
            completed_on=version.created_at.date()
            if status == AssignmentStatus.COMPLETED
            else None,
            started_on=version.created_at.date(),
        )
    for name, page in pages.items():
        with django_assert_max_num_queries(counts[name]):
            assert hr.get(page).status_code == 200, name


def kitchen_more(cast: Cast, count: int) -> list[Any]:
    from tests.factories import WorkstationFactory

    return [
        WorkstationFactory(
            organisation=cast.organisation,
            unit=cast.packaging,
            code=f"MORE-{number}",
            name=f"Machine {number:02d}",
            is_machine=True,
        )
        for number in range(count)
    ]


def _loaded(user: Any, cast: Cast) -> Any:
    from leerplek.core.access import load_access

    user.access = load_access(user, cast.organisation.pk)
    return user
