"""The plan's pages and exports: who sees what (the consultation body never a person), the
needs form with its three questions, the consultation steps from the page, and the anonymised
filing copy (no person's name in the PDF text or any XLSX cell)."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from leerplek.core.roles import Role
from leerplek.registration import services_plan
from leerplek.registration.models import PlanComment, PlanStatus, SubmittedNeed, TransferFollowUp
from tests.factories import Cast
from tests.registration.factories import activity, person
from tests.registration.factories_plan import (
    acting,
    competence,
    gap_need,
    in_consultation,
    plan_with_lines,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def url(name: str, *args: Any) -> str:
    return reverse(f"registration:{name}", args=args)


def named_world(cast: Cast) -> tuple[Any, list[str]]:
    """A plan in consultation with needs of named people, a comment and realised records; the
    names that must never reach the consultation body or the filing copy."""
    plan, forklift, _kettle = plan_with_lines(cast)
    hr = acting(cast, Role.HR)
    greta = person(cast, "Greta", "f", last_name="Geheimnaam", unit=cast.packaging)
    hugo = person(cast, "Hugo", last_name="Verborgen", unit=cast.packaging)
    activity(
        cast, "Heftruck", on=D(2026, 3, 2), plan_line=forklift,
        participants=[(greta, "7.60"), (hugo, "7.60")], costs=[("external", "500")],
    )  # fmt: skip
    skill = competence(cast, "HEF", "Heftruck rijden")
    need = gap_need(cast, greta, skill)
    services_plan.need_resolve(need=need, by=hr, learning_form="external", plan_line=forklift)
    services_plan.need_submit(
        organisation=cast.organisation,
        by=hr,
        year=2026,
        description="Excel voor planners",
        employee=hugo,
        target_group="Planning",
    )
    plan = in_consultation(cast, plan)
    services_plan.comment_add(plan=plan, by=hr, text="Graag ook aandacht voor nachtploeg.")
    names = [
        "Geheimnaam",
        "Verborgen",
        "Greta",
        "Hugo",
        cast.user(Role.HR).last_name + ", ",
        str(cast.user(Role.HR)),
    ]
    return plan, names


# --- Who sees what ----------------------------------------------------------------------------


def test_the_consultation_body_sees_needs_as_counts_without_names(
    cast: Cast, client_for: Any
) -> None:
    named_world(cast)
    council = client_for(cast.user(Role.CONSULTATION))
    body = council.get(url("need-list") + "?year=2026").content.decode()
    assert "Heftruck rijden" in body
    assert "fewer than 5" in body  # one person's gap need: hidden as a small group
    assert "Excel voor planners" in body
    for name in ("Geheimnaam", "Verborgen", "Greta", "Hugo"):
        assert name not in body
    hr = client_for(cast.user(Role.HR))
    hr_body = hr.get(url("need-list") + "?year=2026").content.decode()
    assert "Hugo Verborgen" in hr_body
    gaps = hr.get(url("need-list") + "?year=2026&kind=gap").content.decode()
    assert "Greta Geheimnaam" in gaps
    assert "other than suggested" not in gaps


def test_the_plan_page_hides_comment_authors_from_the_body(cast: Cast, client_for: Any) -> None:
    plan, names = named_world(cast)
    council = client_for(cast.user(Role.CONSULTATION))
    body = council.get(url("plan-detail", plan.pk)).content.decode()
    assert "Graag ook aandacht voor nachtploeg." in body
    assert "Heftruck rijden" in body  # what the line answers
    for name in names:
        assert name not in body
    assert url("plan-export", plan.pk, "pdf") not in body
    assert url("plan-export", plan.pk, "filing-pdf") in body


def test_a_representative_comments_on_the_plan_page(cast: Cast, client_for: Any) -> None:
    plan, _names = named_world(cast)
    council = client_for(cast.user(Role.CONSULTATION))
    response = council.post(url("plan-comment", plan.pk), {"text": "Akkoord met de lijnen."})
    assert response.status_code == 302
    assert PlanComment.objects.filter(text="Akkoord met de lijnen.").exists()
    page = council.get(response["Location"]).content.decode()
    assert "Akkoord met de lijnen." in page


def test_an_employee_may_not_open_the_plan_but_may_submit_a_need(
    cast: Cast, client_for: Any
) -> None:
    plan, _f, _k = plan_with_lines(cast)
    employee = client_for(cast.user(Role.EMPLOYEE))
    assert employee.get(url("plan-detail", plan.pk)).status_code == 403
    assert employee.get(url("need-list")).status_code == 403
    page = employee.get(url("need-submit")).content.decode()
    for question in (
        "What did you do when that problem came up?",
        "What went well?",
        "What handy things did you find?",
    ):
        assert question in page
    response = employee.post(
        url("need-submit"),
        {"year": 2027, "description": "De nieuwe etiketteermachine", "target_group": "Ploeg B",
         "source": "employee"},
    )  # fmt: skip
    assert response.status_code == 302
    need = SubmittedNeed.objects.get()
    assert (need.source, need.submitted_by) == ("employee", cast.user(Role.EMPLOYEE))


def test_a_need_without_target_group_is_refused_on_the_field(cast: Cast, client_for: Any) -> None:
    employee = client_for(cast.user(Role.EMPLOYEE))
    response = employee.post(url("need-submit"), {"year": 2027, "description": "Excel"})
    assert response.status_code == 422
    assert response.context["form"].errors["target_group"] == ["This field is required."]
    assert not SubmittedNeed.objects.exists()


def test_hr_resolves_a_need_with_the_suggestion_preselected(cast: Cast, client_for: Any) -> None:
    _plan, _forklift, kettle = plan_with_lines(cast)
    need = gap_need(cast, cast.worker, competence(cast, "SAM", "Samenwerken", kind="general"))
    hr = client_for(cast.user(Role.HR))
    page = hr.get(url("need-resolve", "gap", need.pk))
    assert page.context["form"].initial["learning_form"] == "on_the_job"
    assert "general competence or an attitude" in page.content.decode()
    response = hr.post(
        url("need-resolve", "gap", need.pk),
        {"learning_form": "mentoring", "plan_line": kettle.pk, "note": "Met een peter"},
    )
    assert response.status_code == 302
    assert need.resolution.plan_line == kettle  # type: ignore[attr-defined]


def test_the_consultation_steps_from_the_page(cast: Cast, client_for: Any) -> None:
    plan, _f, _k = plan_with_lines(cast)
    hr = client_for(cast.user(Role.HR))
    refused = hr.post(
        url("plan-share", plan.pk),
        {"body": "works_council", "shared_on": "2026-02-01", "meeting_on": "2026-02-05"},
    )
    assert refused.status_code == 422
    assert refused.context["share_form"].errors["meeting_on"] == [
        "The draft goes to the body at least 15 days before the meeting: with the draft "
        "shared on 01/02/2026, meet on 16/02/2026 or later."
    ]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    hr.post(
        url("plan-share", plan.pk),
        {"body": "works_council", "shared_on": "2026-02-01", "meeting_on": "2026-02-20"},
    )
    hr.post(url("plan-advice", plan.pk), {"advice": "Positief", "advice_on": "2026-03-10"})
    hr.post(url("plan-in-force", plan.pk), {"in_force_on": "2026-03-25"})
    hr.post(url("plan-filed", plan.pk), {"filed_on": "2026-04-10"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FILED
    assert (
        client_for(cast.user(Role.CONSULTATION)).post(url("plan-share", plan.pk)).status_code == 403
    )


def test_a_line_edit_shows_its_history(cast: Cast, client_for: Any) -> None:
    plan, forklift, _kettle = plan_with_lines(cast)
    services_plan.line_update(line=forklift, by=acting(cast, Role.HR), planned_participants=9)
    page = client_for(cast.user(Role.HR)).get(url("plan-line-edit", plan.pk, forklift.pk))
    body = page.content.decode()
    assert "Changes to this line" in body
    assert "Planned participants" in body
    assert "<del>6</del> → 9" in body


def test_a_manager_follows_up_his_own_people(cast: Cast, client_for: Any) -> None:
    inside = person(cast, "Ann", "f", last_name="Binnen", unit=cast.packaging)
    outside = person(cast, "Olaf", last_name="Buiten", unit=cast.office)
    activity(cast, "Heftruck", on=D(2026, 3, 2), participants=[(inside, 7), (outside, 7)])
    services_plan.transfer_followups_create(today=D(2026, 4, 1))
    manager = client_for(cast.user(Role.MANAGER))
    body = manager.get(url("transfer-list")).content.decode()
    assert "Ann Binnen" in body
    assert "Olaf Buiten" not in body
    theirs = TransferFollowUp.objects.get(participation__employee=outside)
    assert manager.get(url("transfer-edit", theirs.pk)).status_code == 403
    mine = TransferFollowUp.objects.get(participation__employee=inside)
    response = manager.post(
        url("transfer-edit", mine.pk), {"status": "applied", "manager_note": "Rijdt zelfstandig."}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "applied"
    assert client_for(cast.user(Role.CONSULTATION)).get(url("transfer-list")).status_code == 403


# --- Exports ----------------------------------------------------------------------------------


def pdf_text(content: bytes, tmp_path: Any) -> str:
    source = tmp_path / "plan.pdf"
    source.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_filing_copy_names_no_person(cast: Cast, client_for: Any, tmp_path: Any) -> None:
    plan, names = named_world(cast)
    hr = client_for(cast.user(Role.HR))
    filing_pdf = pdf_text(hr.get(url("plan-export", plan.pk, "filing-pdf")).content, tmp_path)
    filing_xlsx = xlsx_text(hr.get(url("plan-export", plan.pk, "filing-xlsx")).content)
    for text in (filing_pdf, filing_xlsx):
        assert "Heftruckattest" in text
        assert "Heftruck rijden" in text
        for name in names:
            assert name not in text, name
    assert "personal data anonymised" in filing_pdf
    full = pdf_text(hr.get(url("plan-export", plan.pk, "pdf")).content, tmp_path)
    assert str(cast.user(Role.HR)) in full  # the comment's author, for internal use
    assert "nachtploeg" in full
    assert "nachtploeg" not in filing_pdf


def test_the_body_gets_the_filing_copy_whatever_it_asks(cast: Cast, client_for: Any) -> None:
    plan, names = named_world(cast)
    council = client_for(cast.user(Role.CONSULTATION))
    response = council.get(url("plan-export", plan.pk, "xlsx"))
    assert "neerlegging" in response["Content-Disposition"]
    text = xlsx_text(response.content)
    for name in names:
        assert name not in text
    assert council.get(url("plan-export", plan.pk, "docx")).status_code == 404


def test_another_organisation_cannot_open_the_plan(cast: Cast, client_for: Any) -> None:
    plan, _f, _k = plan_with_lines(cast)
    assert cast.other_hr is not None
    other = client_for(cast.other_hr)
    assert other.get(url("plan-detail", plan.pk)).status_code == 404
    assert other.get(url("plan-export", plan.pk, "filing-pdf")).status_code == 404
    assert "Heftruckattest" not in other.get(url("plan-list")).content.decode()


def test_hr_adds_a_line_from_the_form(cast: Cast, client_for: Any) -> None:
    plan, _f, _k = plan_with_lines(cast)
    hr = client_for(cast.user(Role.HR))
    values = {
        "title": "Intervisie ploegleiders",
        "category": "informal",
        "learning_form": "intervision",
        "target_group": "Ploegleiders",
        "risk_groups": ["50_plus", "young"],
        "planned_participants": "6",
        "planned_hours": "-3",
        "planned_cost": "0",
        "counts_for_right": "on",
    }
    refused = hr.post(url("plan-line-add", plan.pk), values)
    assert refused.status_code == 422
    assert list(refused.context["form"].errors) == ["planned_hours"]
    assert plan.lines.count() == 2
    response = hr.post(url("plan-line-add", plan.pk), {**values, "planned_hours": "18"})
    assert response.status_code == 302
    line = plan.lines.get(title="Intervisie ploegleiders")
    assert (line.learning_form, line.risk_groups, line.counts_for_right) == (
        "intervision",
        ["50_plus", "young"],
        True,
    )


@pytest.mark.parametrize(
    ("language", "amount"), [("nl", "€ 9.000,00"), ("fr", "9"), ("en", "€ 9,000.00")]
)
def test_the_plan_pages_render_in_each_language(
    cast: Cast, client_for: Any, language: str, amount: str
) -> None:
    plan, _f, _k = plan_with_lines(cast)
    user = cast.user(Role.HR)
    user.language = language
    user.save(update_fields=["language"])
    client = client_for(user)
    for name, args in (("plan-list", ()), ("plan-detail", (plan.pk,)), ("need-list", ())):
        response = client.get(url(name, *args))
        assert response.status_code == 200, name
    assert amount in client.get(url("plan-list")).content.decode()
