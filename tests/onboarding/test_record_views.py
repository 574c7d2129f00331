"""The onthaal record pages: what each role sees and may do, downloads, and query counts."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from leerplek.core.roles import Role
from leerplek.onboarding.models import (
    GivenInstruction,
    Onboarding,
    OnboardingTemplate,
    OnthaalDocument,
    SafetyInstruction,
)
from tests.factories import Cast, EmployeeFactory
from tests.onboarding.factories import colleague, designate, start, templates
from tests.onboarding.factories_record import (
    catalogue,
    confirm_all,
    give,
    instruction,
    newcomer_record,
    signed,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_hr_keeps_the_catalogue(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.user(Role.PREVENTION_ADVISER))
    response = client.post(
        reverse("onboarding:instruction-create"),
        {"topic": "emergency", "title": "Assembly point", "position": 0, "is_active": "on"},
    )
    assert response.status_code == 302
    rule = SafetyInstruction.objects.get()
    page = client.get(reverse("onboarding:instruction-list"))
    assert "Assembly point" in page.content.decode()
    assert "everybody" in page.content.decode()
    response = client.post(
        reverse("onboarding:instruction-edit", args=[rule.pk]),
        {"topic": "emergency", "title": "", "position": 0},
    )
    assert response.status_code == 422
    assert (
        client_for(cast.user(Role.MANAGER)).get(reverse("onboarding:instruction-list")).status_code
        == 403
    )


def test_the_record_page_lists_what_applies_and_records_what_was_given(
    cast: Cast, client_for: Any
) -> None:
    everybody, _counsellor, gloves, tachograph = catalogue(cast)
    plan = newcomer_record(cast)
    client = client_for(cast.user(Role.MANAGER))
    page = client.get(reverse("onboarding:record-detail", args=[plan.pk])).content.decode()
    assert gloves.title in page
    assert everybody.title in page
    assert tachograph.title not in page
    assert "not yet given" in page
    url = reverse("onboarding:instruction-give", args=[plan.pk])
    form = client.get(url).content.decode()
    assert tachograph.title not in form
    assert gloves.title in form
    response = client.post(url, {"given_on": "", "given_by": cast.employees[Role.MENTOR].pk})
    assert response.status_code == 422
    assert "Tick at least one instruction that was given." in response.content.decode()
    response = client.post(
        url,
        {
            "instructions": [everybody.pk, gloves.pk],
            "given_on": timezone.localdate().isoformat(),
            "given_by": cast.employees[Role.MENTOR].pk,
        },
    )
    assert response.status_code == 302
    assert GivenInstruction.objects.filter(onboarding=plan).count() == 2


def test_the_newcomer_confirms_on_his_own_page_with_big_buttons(
    cast: Cast, client_for: Any
) -> None:
    plan = newcomer_record(cast)
    row = give(cast, plan, [instruction(cast)])[0]
    client = client_for(cast.user(Role.EMPLOYEE))
    page = client.get(reverse("onboarding:mine")).content.decode()
    assert "I understood this" in page
    assert 'class="big"' in page
    url = reverse("onboarding:instruction-confirm", args=[row.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, **HTMX)
    assert response.status_code == 200
    assert "You confirmed on" in response.content.decode()
    assert response["Vary"].count("HX-Request") == 1
    again = client.post(url, **HTMX)
    assert again.status_code == 422
    assert "You already confirmed" in again.content.decode()
    row.refresh_from_db()
    assert row.newcomer_confirmed_at is not None
    assert row.guide_confirmed_at is None


def test_the_peter_confirms_on_the_onboarding_page(cast: Cast, client_for: Any) -> None:
    plan = newcomer_record(cast)
    row = give(cast, plan, [instruction(cast)])[0]
    client = client_for(cast.user(Role.MENTOR))
    page = client.get(reverse("onboarding:onboarding-detail", args=[plan.pk])).content.decode()
    assert "Understood, I checked it" in page
    response = client.post(reverse("onboarding:instruction-confirm", args=[row.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding:onboarding-detail", args=[plan.pk])
    row.refresh_from_db()
    assert row.guide_confirmed_by == cast.user(Role.MENTOR)


def test_nobody_else_confirms(cast: Cast, client_for: Any) -> None:
    plan = newcomer_record(cast)
    row = give(cast, plan, [instruction(cast)])[0]
    for role in (Role.HR, Role.MANAGER, Role.ADMIN, Role.PREVENTION_ADVISER):
        response = client_for(cast.user(role)).post(
            reverse("onboarding:instruction-confirm", args=[row.pk])
        )
        assert response.status_code == 403, role
    hr_page = client_for(cast.user(Role.HR)).get(
        reverse("onboarding:onboarding-detail", args=[plan.pk])
    )
    assert "Understood, I checked it" not in hr_page.content.decode()
    row.refresh_from_db()
    assert row.newcomer_confirmed_at is None
    assert row.guide_confirmed_at is None


def test_the_prevention_adviser_adds_proposals(cast: Cast, client_for: Any) -> None:
    plan = newcomer_record(cast)
    client = client_for(cast.user(Role.PREVENTION_ADVISER))
    url = reverse("onboarding:proposals-edit", args=[plan.pk])
    assert client.post(url, {"prevention_proposals": "Hearing protection"}).status_code == 302
    plan.refresh_from_db()
    assert plan.prevention_proposals == "Hearing protection"
    assert client_for(cast.user(Role.MANAGER)).get(url).status_code == 403


def test_signing_in_the_app_and_downloading_the_pdf(cast: Cast, client_for: Any) -> None:
    plan = newcomer_record(cast)
    confirm_all(cast, give(cast, plan, [instruction(cast)]))
    client = client_for(cast.user(Role.HR))
    url = reverse("onboarding:document-sign", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "You sign version 1" in page
    response = client.post(url, {"expected_version": 0})
    assert response.status_code == 422
    assert "Tick that you have read the document to sign it." in response.content.decode()
    assert client.post(url, {"expected_version": 0, "confirm": "on"}).status_code == 302
    document = OnthaalDocument.objects.get()
    record = client.get(reverse("onboarding:record-detail", args=[plan.pk])).content.decode()
    assert document.sha256 in record
    assert "Sign a correction" in record
    # A correction without saying what it corrects is refused, naming the problem.
    response = client.post(url, {"expected_version": 1, "confirm": "on"})
    assert response.status_code == 422
    assert "Describe what this new version corrects." in response.content.decode()
    download = client.get(reverse("onboarding:document-download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "onthaal-Werker-Wout-v1.pdf" in download["Content-Disposition"]
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == document.sha256


def test_signing_is_refused_without_a_peter(cast: Cast, client_for: Any) -> None:
    plan = newcomer_record(cast, with_guide=False)
    client = client_for(cast.user(Role.HR))
    url = reverse("onboarding:document-sign", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "No peter/meter is designated" in page
    assert "sign-form" not in page
    response = client.post(url, {"expected_version": 0, "confirm": "on"})
    assert response.status_code == 422
    assert not OnthaalDocument.objects.exists()


def test_who_may_sign_and_download(cast: Cast, client_for: Any) -> None:
    plan = newcomer_record(cast)
    document = signed(cast, plan)
    sign = reverse("onboarding:document-sign", args=[plan.pk])
    download = reverse("onboarding:document-download", args=[document.pk])
    for role in (Role.PREVENTION_ADVISER, Role.MENTOR, Role.EMPLOYEE):
        assert client_for(cast.user(role)).get(sign).status_code == 403, role
    assert client_for(cast.user(Role.EMPLOYEE)).get(download).status_code == 403
    assert client_for(cast.user(Role.PREVENTION_ADVISER)).get(download).status_code == 200
    assert cast.other_hr is not None
    assert client_for(cast.other_hr).get(download).status_code == 404
    # A line manager of another unit neither signs nor downloads.
    office = EmployeeFactory(organisation=cast.organisation, unit=cast.office, job=cast.job)
    other_plan = start(cast, employee=office)
    designate(cast, other_plan, colleague(cast))
    other_document = signed(cast, Onboarding.objects.get(pk=other_plan.pk))
    manager = client_for(cast.user(Role.MANAGER))
    assert manager.get(reverse("onboarding:document-sign", args=[other_plan.pk])).status_code == 403
    assert (
        manager.get(reverse("onboarding:document-download", args=[other_document.pk])).status_code
        == 403
    )


def newcomers_with_documents(cast: Cast, count: int) -> None:
    rule = SafetyInstruction.objects.first() or instruction(cast)
    if not OnboardingTemplate.objects.exists():
        templates(cast)
    for _ in range(count):
        person = EmployeeFactory(organisation=cast.organisation, unit=cast.packaging, job=cast.job)
        plan = Onboarding.objects.select_related("employee").get(pk=start(cast, employee=person).pk)
        designate(cast, plan, colleague(cast))
        give(cast, plan, [rule])
        first = signed(cast, plan)
        if count > 2:
            signed(cast, plan, correction=f"corrected {first.pk}")


def test_the_register_by_unit_with_the_newest_version_marked(cast: Cast, client_for: Any) -> None:
    newcomers_with_documents(cast, 3)
    client = client_for(cast.user(Role.PREVENTION_ADVISER))
    page = client.get(reverse("onboarding:register")).content.decode()
    assert page.count(">newest<") == 3
    assert page.count(">replaced<") == 3
    assert "Verpakking" in page
    year = timezone.localdate().year
    assert "v2" in client.get(reverse("onboarding:register"), {"year": year}).content.decode()
    empty = client.get(reverse("onboarding:register"), {"unit": cast.office.path}).content.decode()
    assert "No signed document matches" in empty
    assert (
        client_for(cast.user(Role.MANAGER)).get(reverse("onboarding:register")).status_code == 403
    )


def test_compliance_lists_open_instructions_and_unsigned_documents(
    cast: Cast, client_for: Any
) -> None:
    catalogue(cast)
    plan = newcomer_record(cast)
    page = client_for(cast.user(Role.PREVENTION_ADVISER)).get(reverse("onboarding:compliance"))
    body = page.content.decode()
    assert "Safety instructions not yet given or confirmed" in body
    assert "Onthaal documents not signed" in body
    assert reverse("onboarding:record-detail", args=[plan.pk]) in body


def pages(plan: Onboarding) -> list[tuple[str, Role]]:
    return [
        (reverse("onboarding:register"), Role.PREVENTION_ADVISER),
        (reverse("onboarding:compliance"), Role.PREVENTION_ADVISER),
        (reverse("onboarding:instruction-list"), Role.HR),
        (reverse("onboarding:record-detail", args=[plan.pk]), Role.HR),
        (reverse("onboarding:document-sign", args=[plan.pk]), Role.HR),
        (reverse("onboarding:instruction-give", args=[plan.pk]), Role.HR),
        (reverse("onboarding:onboarding-detail", args=[plan.pk]), Role.MENTOR),
        (reverse("onboarding:mine"), Role.EMPLOYEE),
    ]


def test_pages_keep_a_fixed_query_count(
    cast: Cast, client: Any, django_assert_max_num_queries: Any
) -> None:
    catalogue(cast)
    plan = newcomer_record(cast)
    rows = give(cast, plan, list(SafetyInstruction.objects.filter(job__code="OPR")))
    instruction(cast, "Late one")
    newcomers_with_documents(cast, 2)
    counts = []
    for url, role in pages(plan):
        client.force_login(cast.user(role))
        with django_assert_max_num_queries(30) as small:
            assert client.get(url).status_code == 200, url
        counts.append(len(small.captured_queries))
    for index in range(6):
        instruction(cast, f"More {index}")
    confirm_all(cast, rows)
    newcomers_with_documents(cast, 8)
    for (url, role), count in zip(pages(plan), counts, strict=True):
        client.force_login(cast.user(role))
        with django_assert_max_num_queries(count) as large:
            assert client.get(url).status_code == 200, url
        assert len(large.captured_queries) == count, url


def test_the_record_page_says_when_a_correction_is_due(cast: Cast, client_for: Any) -> None:
    plan = newcomer_record(cast)
    rows = give(cast, plan, [instruction(cast)])
    signed(cast, plan)
    url = reverse("onboarding:record-detail", args=[plan.pk])
    client = client_for(cast.user(Role.HR))
    assert "The record changed after the latest signature" not in client.get(url).content.decode()
    confirm_all(cast, rows)
    assert "The record changed after the latest signature" in client.get(url).content.decode()


def test_the_register_and_compliance_selectors_keep_their_query_count(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    from leerplek.onboarding import selectors_record

    newcomers_with_documents(cast, 2)
    for size in (2, 9):
        if size == 9:
            newcomers_with_documents(cast, 7)
        with django_assert_num_queries(1):
            rows = list(selectors_record.register(organisation=cast.organisation))
        assert len({row.onboarding_id for row in rows}) == size
        with django_assert_num_queries(1):
            data = selectors_record.record_compliance(organisation=cast.organisation)
        assert len(data.by_unit) == 1


def test_the_newcomer_downloads_his_own_signed_document(cast: Cast, client: Any) -> None:
    from tests.onboarding.factories_record import confirm_all, give, instruction, signed

    onboarding = newcomer_record(cast)
    confirm_all(cast, give(cast, onboarding, [instruction(cast)]))
    signed(cast, onboarding)
    client.force_login(cast.user(Role.EMPLOYEE))
    page = client.get(reverse("onboarding:mine")).content.decode()
    assert reverse("onboarding:my-document") in page
    response = client.get(reverse("onboarding:my-document"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_without_a_signed_document_the_newcomer_is_told_so(cast: Cast, client: Any) -> None:
    client.force_login(cast.user(Role.EMPLOYEE))
    response = client.get(reverse("onboarding:my-document"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("onboarding:mine")
    assert "Your onthaal document is not signed yet." in response.content.decode()
