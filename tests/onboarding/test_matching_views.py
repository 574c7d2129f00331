"""The matching pages: what HR sees, confirming, overriding, refusals and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.onboarding import selectors_matching
from leerplek.onboarding.models import Guidance, MatchDecision
from tests.factories import Cast
from tests.onboarding.factories import designate
from tests.onboarding.factories_matching import Scene, newcomer, pool_member, scene

pytestmark = pytest.mark.django_db


def login(client: Any, cast: Cast, role: Role = Role.HR) -> None:
    client.force_login(cast.user(role))


def propose_url(s: Scene) -> str:
    return reverse("onboarding:match-propose", args=[s.onboarding.pk])


def test_propose_page_shows_the_proposal_with_reasons(cast: Cast, client: Any) -> None:
    s = scene(cast)
    login(client, cast)
    response = client.get(propose_url(s))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna Aerts" in html
    assert "Bart Baert" in html
    assert "May teach 1 competence the newcomer lacks: HACCP hygiene" in html
    assert "Speaks nl, pl" in html
    assert "75 points" in html
    assert html.index("Anna Aerts") < html.index("Bart Baert")


def test_propose_confirms_the_proposal(cast: Cast, client: Any) -> None:
    s = scene(cast)
    login(client, cast)
    anna = str(s.anna.employee.pk)
    response = client.post(propose_url(s), {"guide": anna, "proposed": anna})
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:onboarding-detail", args=[s.onboarding.pk])
    assert Guidance.objects.get().guide == s.anna.employee
    decision = MatchDecision.objects.get()
    assert decision.proposed == decision.chosen == s.anna.employee


def test_propose_another_without_reason_is_refused(cast: Cast, client: Any) -> None:
    s = scene(cast)
    login(client, cast)
    anna, bart = str(s.anna.employee.pk), str(s.bart.employee.pk)
    response = client.post(propose_url(s), {"guide": bart, "proposed": anna})
    assert response.status_code == 422
    assert "You chose Bart Baert instead of the proposed Anna Aerts: say why" in (
        response.content.decode()
    )
    assert not Guidance.objects.exists()
    response = client.post(
        propose_url(s), {"guide": bart, "proposed": anna, "reason": "Same team leader"}
    )
    assert response.status_code == 302
    assert MatchDecision.objects.get().reason == "Same team leader"


def test_propose_someone_else_from_the_pool(cast: Cast, client: Any) -> None:
    s = scene(cast)
    extra = [pool_member(cast, first_name=f"Extra{n}", last_name="Zed") for n in range(4)]
    login(client, cast)
    anna = str(s.anna.employee.pk)
    html = client.get(propose_url(s)).content.decode()
    assert "Someone else from the pool" in html
    response = client.post(propose_url(s), {"guide": "other", "proposed": anna, "reason": "x"})
    assert response.status_code == 422
    assert "Choose the peter/meter from the list" in response.content.decode()
    # The last one is outside the top four, so only in the list.
    chosen = Guidance.objects.none()
    last = extra[-1].employee
    response = client.post(
        propose_url(s),
        {"guide": "other", "other": str(last.pk), "proposed": anna, "reason": "Asked for it"},
    )
    assert response.status_code == 302, response.content.decode()
    chosen = Guidance.objects.get()
    assert chosen.guide == last


def test_propose_refuses_a_stale_proposal(cast: Cast, client: Any) -> None:
    s = scene(cast)
    login(client, cast)
    bart = str(s.bart.employee.pk)
    response = client.post(propose_url(s), {"guide": bart, "proposed": bart})
    assert response.status_code == 422
    assert "The proposal changed since the page was opened (now: Anna Aerts)" in (
        response.content.decode()
    )
    assert not Guidance.objects.exists()


def test_propose_page_once_a_guide_is_designated(cast: Cast, client: Any) -> None:
    s = scene(cast)
    designate(cast, s.onboarding, s.bart.employee)
    login(client, cast)
    response = client.get(propose_url(s))
    assert response.status_code == 200
    assert "Bart Baert is already the peter/meter" in response.content.decode()
    anna = str(s.anna.employee.pk)
    client.post(propose_url(s), {"guide": anna, "proposed": anna})
    assert Guidance.objects.count() == 1


def test_propose_page_with_an_empty_pool(cast: Cast, client: Any) -> None:
    from tests.onboarding.factories import start, templates

    templates(cast)
    plan = start(cast)
    login(client, cast)
    response = client.get(reverse("onboarding:match-propose", args=[plan.pk]))
    assert response.status_code == 200
    assert "Nobody in the peter/meter pool has a free place" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.MENTOR, Role.CONSULTATION])
def test_other_roles_may_not_match(cast: Cast, client: Any, role: Role) -> None:
    s = scene(cast)
    login(client, cast, role)
    assert client.get(reverse("onboarding:matching")).status_code == 403
    assert client.get(propose_url(s)).status_code == 403
    anna = str(s.anna.employee.pk)
    assert client.post(propose_url(s), {"guide": anna, "proposed": anna}).status_code == 403
    assert not Guidance.objects.exists()


def test_another_organisation_is_not_found(cast: Cast, client: Any) -> None:
    s = scene(cast)
    client.force_login(cast.other_hr)
    assert client.get(propose_url(s)).status_code == 404


def batch_post(rows: dict[int, tuple[str, str, str]]) -> dict[str, str]:
    data = {}
    for pk, (guide, proposed, reason) in rows.items():
        data[f"guide_{pk}"] = guide
        data[f"proposed_{pk}"] = proposed
        data[f"reason_{pk}"] = reason
    return data


def test_batch_page_and_confirm(cast: Cast, client: Any) -> None:
    s = scene(cast)
    second = newcomer(cast, first_name="Zoë", last_name="Zwart")
    login(client, cast)
    url = reverse("onboarding:matching")
    html = client.get(url).content.decode()
    assert "Wout Werker" in html
    assert "Zoë Zwart" in html
    assert html.count("Proposal</span>") == 2
    anna, bart = str(s.anna.employee.pk), str(s.bart.employee.pk)
    # Both prefer Anna; she has two places, so both get her.
    response = client.post(
        url,
        batch_post({s.onboarding.pk: (anna, anna, ""), second.pk: (bart, anna, "")}),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nothing was designated" in html
    assert "You chose Bart Baert instead of the proposed Anna Aerts" in html
    assert not Guidance.objects.exists()
    response = client.post(
        url,
        batch_post({s.onboarding.pk: (anna, anna, ""), second.pk: ("skip", anna, "")}),
    )
    assert response.status_code == 302
    assert list(Guidance.objects.values_list("learner_id", "guide_id")) == [
        (cast.worker.pk, s.anna.employee.pk)  # type: ignore[union-attr]
    ]
    html = client.get(url).content.decode()
    assert "Wout Werker" not in html
    assert "Zoë Zwart" in html


def test_batch_with_nothing_chosen(cast: Cast, client: Any) -> None:
    s = scene(cast)
    login(client, cast)
    anna = str(s.anna.employee.pk)
    response = client.post(
        reverse("onboarding:matching"), batch_post({s.onboarding.pk: ("skip", anna, "")})
    )
    assert response.status_code == 422
    assert "Choose a peter/meter for at least one newcomer" in response.content.decode()


def test_batch_filters(cast: Cast, client: Any) -> None:
    s = scene(cast)
    later = newcomer(cast, start_date=s.onboarding.start_date.replace(day=16), unit=cast.office)
    login(client, cast)
    url = reverse("onboarding:matching")
    html = client.get(url, {"week": later.start_date.isoformat()}).content.decode()
    assert str(later.employee) in html
    assert "Wout Werker" not in html
    html = client.get(url, {"unit": cast.packaging.pk}).content.decode()
    assert str(later.employee) not in html
    assert "Wout Werker" in html
    html = client.get(url, {"unit": cast.office.pk, "week": s.onboarding.start_date}).content
    assert "No newcomer without a peter/meter matches these filters." in html.decode()


def test_batch_page_without_newcomers(cast: Cast, client: Any) -> None:
    login(client, cast)
    response = client.get(reverse("onboarding:matching"))
    assert response.status_code == 200
    assert "Every newcomer in an active onboarding has a peter/meter." in response.content.decode()


def test_onboarding_page_shows_the_proposal_then_the_decision(cast: Cast, client: Any) -> None:
    s = scene(cast)
    login(client, cast)
    detail = reverse("onboarding:onboarding-detail", args=[s.onboarding.pk])
    html = client.get(detail).content.decode()
    assert "The best fit from the peter/meter pool:" in html
    assert propose_url(s) in html
    bart, anna = str(s.bart.employee.pk), str(s.anna.employee.pk)
    client.post(propose_url(s), {"guide": bart, "proposed": anna, "reason": "Same team leader"})
    html = client.get(detail).content.decode()
    assert "Bart Baert was designated through matching" in html
    assert "Same team leader" in html
    # A line manager sees the onboarding but not the matching part.
    login(client, cast, Role.MANAGER)
    assert "Peter/meter proposal" not in client.get(detail).content.decode()


def test_pages_keep_a_fixed_query_count(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    s = scene(cast)
    login(client, cast)
    urls = [
        reverse("onboarding:matching"),
        propose_url(s),
        reverse("onboarding:onboarding-detail", args=[s.onboarding.pk]),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(40) as small:
            assert client.get(url).status_code == 200
        counts.append(len(small.captured_queries))
    for n in range(8):
        newcomer(cast, first_name=f"New{n}")
        pool_member(cast, job=cast.job, first_name=f"Peter{n}")
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200, url


def test_batch_with_more_newcomers_than_places(cast: Cast, client: Any) -> None:
    s = scene(cast)
    for profile in (s.anna, s.bart):
        designate(cast, newcomer(cast), profile.employee)
    # Anna and Bart have one place each left for three newcomers: the last by name gets none.
    newcomer(cast, first_name="Xavier", last_name="Aa")
    late = newcomer(cast, first_name="Yves", last_name="Zeger")
    login(client, cast)
    url = reverse("onboarding:matching")
    html = client.get(url).content.decode()
    assert "No place is left for this newcomer in the best proposal" in html
    rows = {
        row.onboarding.pk: row
        for row in selectors_matching.batch(organisation=cast.organisation).rows
    }
    assert rows[late.pk].proposal is None
    others = {pk: row for pk, row in rows.items() if pk != late.pk}
    data = {}
    for pk, row in others.items():
        chosen = str(row.proposal.employee.pk) if row.proposal else "skip"
        data |= {f"guide_{pk}": chosen, f"proposed_{pk}": chosen, f"reason_{pk}": ""}
    data |= {f"guide_{late.pk}": "skip", f"proposed_{late.pk}": "", f"reason_{late.pk}": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    assert not Guidance.objects.filter(learner=late.employee).exists()
    html = client.get(url).content.decode()
    assert "Nobody in the peter/meter pool has a free place for this newcomer" in html
