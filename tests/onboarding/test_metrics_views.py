"""The onboarding results page, its export, and the pulse on the newcomer's page, the home page
and the onboarding page."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from leerplek.core.roles import Role
from leerplek.onboarding.models import PulseRespondent, PulseResponse
from tests.factories import Cast
from tests.onboarding.factories import templates
from tests.onboarding.factories_metrics import history, newcomer_user, peter_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def past_cohorts(cast: Cast, size: int = 4) -> None:
    """Half a year ago: newcomers without a peter (half left early), then with one."""
    templates(cast)
    for index in range(size):
        history(
            cast,
            start_date=TODAY - 400 * DAY,
            with_guide=False,
            left_after=5 if index % 2 == 0 else None,
        )
        onboarding = history(
            cast,
            start_date=TODAY - 250 * DAY,
            with_guide=True,
            left_after=90 if index == 0 else None,
            independent_after=30 + 7 * index,
        )
        PulseResponse.objects.create(
            onboarding=onboarding, respondent=PulseRespondent.NEWCOMER, moment=1, score=4
        )


# --- Results page --------------------------------------------------------------------------------


def test_hr_sees_the_results_with_the_comparison(cast: Cast, client_for: Any) -> None:
    past_cohorts(cast)
    response = client_for(cast.user(Role.HR)).get(reverse("onboarding:metrics"))
    assert response.status_code == 200
    data = response.context["metrics"]
    assert (data.without_guide.left_period_percent, data.with_guide.left_period_percent) == (
        50,
        25,
    )
    body = response.content.decode()
    assert "<strong>50 %</strong> of the newcomers without a peter/meter" in body
    assert "<svg" in body
    assert 'role="img"' in body
    assert "small group" in body  # groups of 4 with MIN_GROUP_SIZE 5


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.CONSULTATION, Role.MENTOR])
def test_only_hr_and_the_administrator_see_the_results(
    cast: Cast, client_for: Any, role: Role
) -> None:
    assert client_for(cast.user(role)).get(reverse("onboarding:metrics")).status_code == 403


def test_an_empty_period_says_what_to_do(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).get(reverse("onboarding:metrics"))
    assert "No onboarding started in this period." in response.content.decode()
    assert "Export to Excel" not in response.content.decode()


def test_a_period_ending_before_it_starts_is_refused_on_the_end_date(
    cast: Cast, client_for: Any
) -> None:
    response = client_for(cast.user(Role.HR)).get(
        reverse("onboarding:metrics"), {"date_from": "2025-06-01", "date_to": "2025-01-01"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "date_to": ["The end of the period lies before its start; swap the two dates."]
    }


def test_the_function_and_month_filters(cast: Cast, client_for: Any) -> None:
    past_cohorts(cast, size=1)
    response = client_for(cast.user(Role.HR)).get(
        reverse("onboarding:metrics"), {"job": cast.job.pk, "grain": "month"}
    )
    data = response.context["metrics"]
    assert data.grain == "month"
    assert [group.label for group in data.functions] == ["Operator"]


@pytest.mark.parametrize("size", [1, 6])
def test_the_results_page_costs_the_same_queries_at_any_size(
    cast: Cast, client_for: Any, size: int, django_assert_max_num_queries: Any
) -> None:
    past_cohorts(cast, size=size)
    client = client_for(cast.user(Role.HR))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("onboarding:metrics"))
    assert response.context["metrics"].total.started == 2 * size


def test_the_export_has_a_sheet_per_view(cast: Cast, client_for: Any) -> None:
    past_cohorts(cast)
    response = client_for(cast.user(Role.HR)).get(reverse("onboarding:metrics-export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Cohorts", "Functions", "With and without peter"]
    comparison = list(book["With and without peter"].values)
    assert comparison[0][:3] == ("Newcomers", "Started", "With a peter/meter")
    assert comparison[1][:2] == ("With a peter/meter", 4)
    assert comparison[2][:2] == ("Without a peter/meter", 4)


def test_the_export_of_a_wrong_period_goes_back_to_the_page(cast: Cast, client_for: Any) -> None:
    response = client_for(cast.user(Role.HR)).get(
        reverse("onboarding:metrics-export"), {"date_from": "nonsense"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("onboarding:metrics"))


def test_the_results_are_in_the_menu_for_hr_only(cast: Cast, client_for: Any) -> None:
    home = client_for(cast.user(Role.HR)).get(reverse("core:home")).content.decode()
    assert reverse("onboarding:metrics") in home


# --- Pulse ---------------------------------------------------------------------------------------


def running(cast: Cast, days_in: int = 2) -> Any:
    templates(cast)
    return history(cast, start_date=TODAY - days_in * DAY, with_guide=False)


def test_the_newcomer_sees_the_question_on_his_page_in_a_pulse_week(
    cast: Cast, client_for: Any
) -> None:
    onboarding = running(cast)
    user = newcomer_user(cast, onboarding)
    body = client_for(user).get(reverse("onboarding:mine")).content.decode()
    assert "How satisfied are you with your start?" in body
    assert "Very satisfied" in body


def test_no_question_outside_the_pulse_weeks(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast, days_in=16)
    body = client_for(newcomer_user(cast, onboarding)).get(reverse("onboarding:mine"))
    assert "pulse-card" not in body.content.decode()


def test_the_newcomer_answers_with_htmx_and_gets_the_card_back(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast)
    client = client_for(newcomer_user(cast, onboarding))
    response = client.post(
        reverse("onboarding:pulse-answer", args=[onboarding.pk]),
        {"score": "4", "comment": "Good start"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thank you, your answer was saved." in body
    assert "You answered 4 · Satisfied." in body
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]
    assert PulseResponse.objects.get().comment == "Good start"


def test_without_htmx_the_answer_returns_to_the_page(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast)
    client = client_for(newcomer_user(cast, onboarding))
    response = client.post(
        reverse("onboarding:pulse-answer", args=[onboarding.pk]),
        {"score": "5", "next": reverse("onboarding:mine")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:mine")


def test_an_answer_without_score_is_refused_naming_it(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast)
    client = client_for(newcomer_user(cast, onboarding))
    response = client.post(
        reverse("onboarding:pulse-answer", args=[onboarding.pk]),
        {"comment": "hm"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Choose a score from 1 to 5." in response.content.decode()
    assert not PulseResponse.objects.exists()


def test_an_answer_outside_the_pulse_weeks_is_refused_on_a_page(
    cast: Cast, client_for: Any
) -> None:
    onboarding = running(cast, days_in=16)
    client = client_for(newcomer_user(cast, onboarding))
    response = client.post(reverse("onboarding:pulse-answer", args=[onboarding.pk]), {"score": "3"})
    assert response.status_code == 422
    assert "There is no pulse question open now." in response.content.decode()


def test_the_pulse_url_takes_only_posts(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast)
    client = client_for(newcomer_user(cast, onboarding))
    assert client.get(reverse("onboarding:pulse-answer", args=[onboarding.pk])).status_code == 405


def test_a_colleague_cannot_answer_for_the_newcomer(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast)
    response = client_for(cast.user(Role.MANAGER)).post(
        reverse("onboarding:pulse-answer", args=[onboarding.pk]), {"score": "1"}
    )
    assert response.status_code == 403


def test_an_unsafe_next_address_is_ignored(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast)
    client = client_for(newcomer_user(cast, onboarding))
    response = client.post(
        reverse("onboarding:pulse-answer", args=[onboarding.pk]),
        {"score": "5", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("onboarding:mine")


def test_the_peter_answers_on_the_home_page(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast)
    user = peter_user(cast, onboarding)
    body = client_for(user).get(reverse("core:home")).content.decode()
    assert "give you recognition, renewed interest or a challenge?" in body
    response = client_for(user).post(
        reverse("onboarding:pulse-answer", args=[onboarding.pk]),
        {"score": "5", "next": reverse("core:home")},
    )
    assert response["Location"] == reverse("core:home")
    assert PulseResponse.objects.get().respondent == PulseRespondent.GUIDE


def test_the_newcomer_is_asked_about_his_peter_once_he_has_one(cast: Cast, client_for: Any) -> None:
    onboarding = running(cast)
    peter_user(cast, onboarding)
    body = client_for(newcomer_user(cast, onboarding)).get(reverse("onboarding:mine"))
    assert "How satisfied are you with your peter/meter and your start?" in body.content.decode()


def test_hr_reads_the_answers_on_the_onboarding_page_and_the_peter_does_not(
    cast: Cast, client_for: Any
) -> None:
    onboarding = running(cast)
    peter = peter_user(cast, onboarding)
    PulseResponse.objects.create(
        onboarding=onboarding,
        respondent=PulseRespondent.NEWCOMER,
        moment=1,
        score=2,
        comment="Peter is never there",
    )
    url = reverse("onboarding:onboarding-detail", args=[onboarding.pk])
    hr_body = client_for(cast.user(Role.HR)).get(url).content.decode()
    assert "Peter is never there" in hr_body
    peter_body = client_for(peter).get(url).content.decode()
    assert "Peter is never there" not in peter_body
    assert "pulse-card" in peter_body  # his own question


@pytest.mark.parametrize("mentees", [1, 2])
def test_the_home_page_pulse_costs_the_same_queries_for_more_newcomers(
    cast: Cast, client_for: Any, mentees: int, django_assert_max_num_queries: Any, settings: Any
) -> None:
    settings.LEERPLEK = {**settings.LEERPLEK, "MAX_MENTEES_DEFAULT": 5}
    templates(cast)
    user = None
    for _ in range(mentees):
        onboarding = history(cast, start_date=TODAY - 2 * DAY, with_guide=False)
        user = peter_user(cast, onboarding)
    client = client_for(user)
    with django_assert_max_num_queries(30):
        body = client.get(reverse("core:home")).content.decode()
    assert body.count('class="pulse-card"') == mentees


def test_the_onboarding_page_pulse_section_costs_the_same_queries(
    cast: Cast, client_for: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    onboarding = running(cast)
    peter_user(cast, onboarding)
    client = client_for(cast.user(Role.HR))
    url = reverse("onboarding:onboarding-detail", args=[onboarding.pk])
    counts = []
    for week in (1, 4):
        for respondent in PulseRespondent.values:
            PulseResponse.objects.create(
                onboarding=onboarding, respondent=respondent, moment=week, score=3
            )
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert body.count("<strong>3</strong>/5") == 4


def test_the_pulse_parts_cost_a_fixed_number_of_queries(
    cast: Cast, rf: Any, django_assert_num_queries: Any
) -> None:
    from leerplek.core.access import load_access
    from leerplek.onboarding import views_metrics

    onboarding = running(cast)
    peter = peter_user(cast, onboarding)
    request = rf.get("/")
    request.user = peter
    request.access = load_access(peter, cast.organisation.pk)
    request.access.mentee_ids()
    with django_assert_num_queries(2):
        part = views_metrics.home_part(request)
    assert part is not None
    assert len(part[1]["cards"]) == 1
    newcomer = newcomer_user(cast, onboarding)
    request.user = newcomer
    request.access = load_access(newcomer, cast.organisation.pk)
    with django_assert_num_queries(1):
        assert views_metrics.mine_part(request, onboarding) is not None
