"""The page of company-level contributions to collective funds: HR adds and removes payments
of a year, sees their total and how the social balance splits it; bad input names its field and
saves nothing; a closed year cannot change; who may open it; fixed query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from leerplek.core.models import AuditEntry
from leerplek.core.roles import Role
from leerplek.registration import selectors_sb, services, services_sb
from leerplek.registration.models import CompanyContribution
from tests.factories import Cast
from tests.registration.factories_sb import acting, sb_world

pytestmark = pytest.mark.django_db

D = datetime.date
LIST = reverse("registration:contribution-list")


def create(year: int) -> str:
    return reverse("registration:contribution-create", kwargs={"year": year})


def delete(year: int, row: CompanyContribution) -> str:
    return reverse(
        "registration:contribution-delete", kwargs={"year": year, "contribution_id": row.pk}
    )


def pay(cast: Cast, day: datetime.date, amount: str, fund: str = "Alimento") -> Any:
    return services.contribution_add(
        organisation=cast.organisation, by=None, paid_on=day, amount=amount, fund=fund
    )


def test_hr_adds_a_payment_and_the_social_balance_counts_it(cast: Cast, client_for: Any) -> None:
    sb_world(cast)
    before = selectors_sb.social_balance(cast.organisation, 2025).by_code()
    client = client_for(cast.user(Role.HR))
    response = client.post(
        create(2025),
        {
            "paid_on": "2025-06-30",
            "fund": "Alimento",
            "amount": "1850,40",
            "description": "Opleidingsbijdrage Q2",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?year=2025"
    row = CompanyContribution.objects.get(description="Opleidingsbijdrage Q2")
    assert (row.amount, row.fund, row.paid_on) == (Decimal("1850.40"), "Alimento", D(2025, 6, 30))
    assert AuditEntry.objects.filter(action="registration.contribution_added").exists()
    after = selectors_sb.social_balance(cast.organisation, 2025).by_code()
    added = (after["58032"] - before["58032"]) + (after["58132"] - before["58132"])
    assert added == Decimal("1850.40")
    page = client.get(f"{LIST}?year=2025").content.decode()
    assert "The payment of 1850.40 euro to Alimento was added." in page
    assert "Opleidingsbijdrage Q2" in page
    # The world's own payment of 1000.00 in 2025, and this one.
    assert "<strong>€ 2850.40</strong>" in page
    assert "pro rata to the own staff employed on the last day of the year" in page
    # The social-balance page links here for the year it shows.
    worksheet = client.get(reverse("registration:social-balance"), {"year": 2025})
    assert f"{LIST}?year=2025" in worksheet.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": "veel"}, "amount", "The amount must be a number."),
        ({"amount": "-5"}, "amount", "An amount cannot be negative."),
        ({"amount": "12.345"}, "amount", "The amount has at most two decimals."),
        ({"amount": "99999999999"}, "amount", "An amount is at most 9999999999.99 euro."),
        ({"fund": ""}, "fund", "This field is required."),
        (
            {"paid_on": "2024-12-31"},
            "paid_on",
            "2024-12-31 is not in the financial year 2025 (2025-01-01 to 2025-12-31).",
        ),
        ({"paid_on": "31/06/2025"}, "paid_on", "Enter a valid date."),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    cast: Cast, client_for: Any, data: dict[str, str], field: str, message: str
) -> None:
    posted = {"paid_on": "2025-03-31", "fund": "Cevora", "amount": "100", **data}
    response = client_for(cast.user(Role.HR)).post(create(2025), posted)
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="contribution_{field}_error">{message}' in body
    assert not CompanyContribution.objects.exists()
    # What was typed is still there.
    if posted["fund"]:
        assert 'value="Cevora"' in body


def test_a_payment_is_removed_but_not_in_a_closed_year(cast: Cast, client_for: Any) -> None:
    wrong = pay(cast, D(2025, 4, 1), "300")
    kept = pay(cast, D(2024, 4, 1), "200")
    client = client_for(cast.user(Role.HR))
    client.post(delete(2025, wrong))
    assert not CompanyContribution.objects.filter(pk=wrong.pk).exists()
    assert AuditEntry.objects.filter(action="registration.contribution_removed").exists()
    services_sb.year_close(
        year=services_sb.financial_year_get_or_create(cast.organisation, 2024),
        by=acting(cast, Role.HR),
    )
    response = client.post(delete(2024, kept), follow=True)
    assert CompanyContribution.objects.filter(pk=kept.pk).exists()
    body = response.content.decode()
    assert "The financial year of this date is closed; reopen it first." in body
    # A closed year shows its payments without the form or the buttons.
    assert "€ 200.00" in body
    assert create(2024) not in body
    assert delete(2024, kept) not in body
    refused = client.post(create(2024), {"paid_on": "2024-05-01", "fund": "X", "amount": "1"})
    assert refused.status_code == 422
    assert CompanyContribution.objects.count() == 1


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.CONSULTATION])
def test_only_hr_and_administrators_open_the_page(cast: Cast, client_for: Any, role: Role) -> None:
    row = pay(cast, D(2025, 4, 1), "300")
    client = client_for(cast.user(role))
    assert client.get(LIST).status_code == 403
    assert client.post(delete(2025, row)).status_code == 403
    assert CompanyContribution.objects.filter(pk=row.pk).exists()


def test_another_organisations_payment_does_not_exist(cast: Cast) -> None:
    row = pay(cast, D(2025, 4, 1), "300", fund="Fonds van Voedingsbedrijf Test")
    other = Client()
    other.force_login(cast.other_hr)  # type: ignore[arg-type]
    assert other.post(delete(2025, row)).status_code == 404
    assert "Fonds van Voedingsbedrijf Test" not in other.get(f"{LIST}?year=2025").content.decode()
    assert CompanyContribution.objects.filter(pk=row.pk).exists()


def test_the_page_keeps_its_query_count(
    cast: Cast, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.user(Role.HR))
    pay(cast, D(2025, 1, 31), "10")
    with django_assert_max_num_queries(14):
        client.get(LIST, {"year": 2025})
    for month in range(1, 13):
        for fund in ("Alimento", "Cevora", "Volta"):
            pay(cast, D(2025, month, 15), "12.50", fund)
    with django_assert_max_num_queries(14):
        body = client.get(LIST, {"year": 2025}).content.decode()
    assert body.count(">Volta</td>") == 12
