"""The onboarding pages, person pickers and API lists on the scale data set (Schaal NV) at two
sizes: the same number of queries whatever the number of people and onboardings."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from leerplek.demo import builder
from leerplek.onboarding.models import Onboarding, OnboardingStatus
from leerplek.people.models import Organisation, User
from tests.api.conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

SIZES = [
    {"people": 300, "units": 15, "onboardings": 30},
    {"people": 1_500, "units": 40, "onboardings": 300},
]


def build(size: dict[str, int]) -> tuple[Organisation, User]:
    builder.scale_build(
        functions=20,
        workstations=30,
        competences=40,
        assessments=300,
        instructions=0,
        programme_assignments=0,
        certificates=0,
        reset=True,
        **size,
    )
    org = Organisation.objects.get(slug="schaal-nv")
    return org, User.objects.get(email=builder.SCALE_HR_EMAIL)


def pages(org: Organisation) -> list[str]:
    plan = (
        Onboarding.objects.filter(organisation=org, status=OnboardingStatus.ACTIVE)
        .order_by("pk")
        .first()
    )
    assert plan is not None
    guide = reverse("onboarding:guide-designate", kwargs={"onboarding_id": plan.pk})
    people = reverse("onboarding:guide-people", kwargs={"onboarding_id": plan.pk})
    return [
        reverse("onboarding:onboarding-list"),
        reverse("onboarding:onboarding-list") + "?status=",
        reverse("onboarding:compliance"),
        reverse("onboarding:review-list"),
        reverse("onboarding:review-list") + "?state=all",
        reverse("onboarding:onboarding-start"),
        reverse("onboarding:start-people") + "?employee_q=an",
        guide,
        people + "?guide_q=e",
    ]


API = [
    "/onboardings",
    "/onboardings?status=active",
    "/progress-reviews?state=overdue",
    "/guidances?current=true",
    "/onboarding-templates",
]


def measure(org: Organisation, user: User, assert_max: Any, limits: list[int]) -> list[int]:
    client = Client()
    client.force_login(user)
    api = ApiClient(Client(), make_token(user, org))
    counts = []
    for url, limit in zip([*pages(org), *API], limits, strict=True):
        with assert_max(limit) as captured:
            response = api.get(url) if url in API else client.get(url)
        assert response.status_code == 200, url
        counts.append(len(captured.captured_queries))
    return counts


def test_onboarding_pages_and_api_keep_their_queries_at_scale(
    settings: Any, django_assert_max_num_queries: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org, user = build(SIZES[0])
    small = measure(org, user, django_assert_max_num_queries, [25] * (len(pages(org)) + len(API)))

    org, user = build(SIZES[1])
    assert Onboarding.objects.filter(organisation=org).count() == 300
    measure(org, user, django_assert_max_num_queries, small)
