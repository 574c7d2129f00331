"""Pages of the annual training plan (PLAN-01, PLAN-03, PLAN-05..08).

- `registration:plan-list`: the plans by year, this year's legal deadlines, start a plan;
- `registration:plan-detail`: the lines planned against realised with a chart, what each line
  answers, the consultation (sharing, comments, advice, in force, filed) and its deadlines;
- `registration:plan-line-add`, `-line-edit` (with the line's change history), `plan-edit`;
- `registration:plan-export`: PDF and XLSX, and the anonymised copy for filing;
- `registration:need-list`, `need-submit`, `need-resolve`: the needs and how each is met;
- `registration:transfer-list`, `transfer-edit`: the follow-up after formal courses.

Consultation-body members see the plan, comment on it and submit needs; they never see a person
(the needs come to them as counts by target group).
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.competences.models import Competence, TrainingNeed
from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.models import AuditEntry
from leerplek.registration import selectors_plan, services_plan
from leerplek.registration.forms_plan import (
    AdviceForm,
    CommentForm,
    FiledForm,
    InForceForm,
    NeedForm,
    PlanForm,
    PlanLineForm,
    ResolutionForm,
    ShareForm,
    TransferForm,
)
from leerplek.registration.models import (
    PlanLine,
    PlanStatus,
    SubmittedNeed,
    TrainingPlan,
    TransferFollowUp,
    TransferStatus,
)
from leerplek.registration.plan_chart import plan_chart
from leerplek.training.forms_leittext import put_errors

VIEW = "registration.view_plan"
MANAGE = "registration.manage_plan"
CONSULT = "registration.consult_plan"
SUBMIT = "registration.submit_needs"
FOLLOW = "registration.follow_transfer"
STYLESHEET = "registration/plan.css"
EXPORTS = ("pdf", "xlsx", "filing-pdf", "filing-xlsx")


def _posted(request: OrganisationHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _plan(request: OrganisationHttpRequest, plan_id: int) -> TrainingPlan:
    return get_object_or_404(
        TrainingPlan.objects.select_related("organisation"),
        organisation_id=request.organisation.pk,
        pk=plan_id,
    )


def _year(request: OrganisationHttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2200 else default


@require_http_methods(["GET", "POST"])
@requires(VIEW)
def plan_list(request: OrganisationHttpRequest) -> HttpResponse:
    can_manage = request.user.has_perm(MANAGE)
    today = timezone.localdate()
    form = PlanForm(_posted(request), initial={"year": today.year})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                plan = services_plan.plan_create(
                    organisation=request.organisation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                put_errors(form, error)
            else:
                return redirect("registration:plan-detail", plan_id=plan.pk)
    plans = list(TrainingPlan.objects.filter(organisation_id=request.organisation.pk))
    current = next((plan for plan in plans if plan.year == today.year), None)
    return render(
        request,
        "registration/plan/list.html",
        {
            "plans": plans,
            "current": current,
            "year": today.year,
            "deadlines": services_plan.deadlines(year=today.year, plan=current, today=today),
            "form": form,
            "can_manage": can_manage,
            "stylesheet": STYLESHEET,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


def _detail(request: OrganisationHttpRequest, plan: TrainingPlan, **forms: Any) -> HttpResponse:
    """The plan page; a refused consultation step comes back in `forms`, bound, with its
    errors next to its fields (422)."""
    figures = selectors_plan.plan_page(plan)
    today = timezone.localdate()
    can_manage = request.user.has_perm(MANAGE)
    context = {
        "plan": plan,
        "figures": figures,
        "chart": plan_chart(figures, plan.year),
        "deadlines": services_plan.deadlines(year=plan.year, plan=plan, today=today),
        "comments": list(plan.comments.select_related("author")),
        "can_manage": can_manage,
        "show_authors": can_manage,
        "can_comment": request.user.has_perm(CONSULT) and plan.status != PlanStatus.DRAFT,
        "share_form": ShareForm(
            initial={
                "body": plan.body,
                "shared_on": plan.shared_on or today,
                "meeting_on": plan.meeting_on,
            }
        ),
        "comment_form": CommentForm(),
        "advice_form": AdviceForm(
            initial={"advice": plan.advice, "advice_on": plan.advice_on or today}
        ),
        "in_force_form": InForceForm(initial={"in_force_on": plan.in_force_on or today}),
        "filed_form": FiledForm(initial={"filed_on": plan.filed_on or today}),
        "open_step": next(iter(forms), ""),
        "stylesheet": STYLESHEET,
        **forms,
    }
    return render(request, "registration/plan/detail.html", context, status=422 if forms else 200)


@requires(VIEW)
def plan_detail(request: OrganisationHttpRequest, plan_id: int) -> HttpResponse:
    return _detail(request, _plan(request, plan_id))


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def plan_edit(request: OrganisationHttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    form = PlanForm(
        _posted(request), initial={"year": plan.year, "title": plan.title, "budget": plan.budget}
    )
    form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services_plan.plan_update(
                plan=plan,
                by=request.user,
                title=form.cleaned_data["title"],
                budget=form.cleaned_data["budget"],
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("registration:plan-detail", plan_id=plan.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Change %(plan)s") % {"plan": plan},
            "back_url": reverse("registration:plan-detail", args=[plan.pk]),
            "submit": _("Save"),
            "stylesheet": STYLESHEET,
        },
    )


def _line_history(line: PlanLine) -> list[dict[str, Any]]:
    """The line's changes from the audit log, newest first, with the form's field labels."""
    labels = {name: field.label for name, field in PlanLineForm.base_fields.items()}
    entries = AuditEntry.objects.filter(
        object_type="registration.PlanLine", object_id=str(line.pk)
    ).order_by("-at", "-id")[:30]
    history = []
    for entry in entries:
        added = entry.action == "registration.plan_line_added"
        before, after = entry.before or {}, entry.after or {}
        history.append(
            {
                "at": entry.at,
                "actor": entry.actor_label,
                "added": added,
                "changes": []
                if added
                else [
                    (labels.get(key, key), before.get(key), value) for key, value in after.items()
                ],
            }
        )
    return history


def _line_form_page(
    request: OrganisationHttpRequest, plan: TrainingPlan, line: PlanLine | None
) -> HttpResponse:
    initial = (
        {key: getattr(line, key) for key in services_plan.LINE_FIELDS}
        if line is not None
        else {"counts_for_right": True, "category": "formal"}
    )
    form = PlanLineForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if line is None:
                services_plan.line_add(plan=plan, by=request.user, **form.cleaned_data)
            else:
                services_plan.line_update(line=line, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("registration:plan-detail", plan_id=plan.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Add a training to the plan")
            if line is None
            else _("Change %(title)s") % {"title": line.title},
            "back_url": reverse("registration:plan-detail", args=[plan.pk]),
            "intro": _(
                "The plan lists the formal and informal trainings offered and the target group "
                "of each, with attention to risk groups and to how it contributes to the "
                "individual training right."
            ),
            "submit": _("Save"),
            "history": _line_history(line) if line is not None else [],
            "stylesheet": STYLESHEET,
        },
        template="registration/plan/line_form.html",
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def line_add(request: OrganisationHttpRequest, plan_id: int) -> HttpResponse:
    return _line_form_page(request, _plan(request, plan_id), None)


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def line_edit(request: OrganisationHttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return _line_form_page(request, plan, get_object_or_404(PlanLine, plan=plan, pk=line_id))


def _step(
    request: OrganisationHttpRequest, plan: TrainingPlan, slot: str, form: Any, call: Any
) -> HttpResponse:
    """One consultation step posted from the plan page: saved, back to the page; refused, the
    page again with the form's errors next to its fields."""
    if form.is_valid():
        try:
            call(**form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(reverse("registration:plan-detail", args=[plan.pk]) + "#consultation")
    return _detail(request, _plan(request, plan.pk), **{slot: form})


@require_POST
@requires(MANAGE)
def plan_share(request: OrganisationHttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return _step(
        request,
        plan,
        "share_form",
        ShareForm(request.POST),
        lambda **data: services_plan.plan_share(plan=plan, by=request.user, **data),
    )


@require_POST
@requires(CONSULT)
def plan_comment(request: OrganisationHttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return _step(
        request,
        plan,
        "comment_form",
        CommentForm(request.POST),
        lambda **data: services_plan.comment_add(plan=plan, by=request.user, **data),
    )


@require_POST
@requires(MANAGE)
def plan_advice(request: OrganisationHttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return _step(
        request,
        plan,
        "advice_form",
        AdviceForm(request.POST),
        lambda **data: services_plan.advice_record(plan=plan, by=request.user, **data),
    )


@require_POST
@requires(MANAGE)
def plan_in_force(request: OrganisationHttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return _step(
        request,
        plan,
        "in_force_form",
        InForceForm(request.POST),
        lambda **data: services_plan.plan_in_force(plan=plan, by=request.user, **data),
    )


@require_POST
@requires(MANAGE)
def plan_filed(request: OrganisationHttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    return _step(
        request,
        plan,
        "filed_form",
        FiledForm(request.POST),
        lambda **data: services_plan.plan_filed(plan=plan, by=request.user, **data),
    )


# --- Exports ----------------------------------------------------------------------------------


def export_context(plan: TrainingPlan, *, filing: bool) -> dict[str, Any]:
    """What the PDF and the XLSX show. The filing copy names no person: no comment authors, no
    one who drew the plan up, and the needs as counts by target group."""
    figures = selectors_plan.plan_page(plan)
    return {
        "plan": plan,
        "organisation": plan.organisation,
        "figures": figures,
        "chart": plan_chart(figures, plan.year),
        "needs": selectors_plan.needs_aggregate(plan.organisation, plan.year),
        "deadlines": services_plan.deadlines(year=plan.year, plan=plan, today=timezone.localdate()),
        "comments": [] if filing else list(plan.comments.select_related("author")),
        "filing": filing,
    }


def render_plan_pdf(plan: TrainingPlan, *, filing: bool) -> bytes:
    from leerplek.onboarding.pdf import _weasyprint

    html = render_to_string("registration/plan/pdf.html", export_context(plan, filing=filing))
    return bytes(_weasyprint().HTML(string=html).write_pdf())


def render_plan_xlsx(plan: TrainingPlan, *, filing: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    context = export_context(plan, filing=filing)
    book = Workbook()
    sheet: Any = book.active
    sheet.title = str(plan.year)
    sheet.append([str(plan), plan.organisation.name, plan.get_status_display()])
    sheet.append([_("Budget (EUR)"), plan.budget])
    sheet.append([])
    header = [
        _("Training"),
        _("Category"),
        _("Form of learning"),
        _("Target group"),
        _("Risk groups"),
        _("Attention to gender"),
        _("Counts for the training right"),
        _("How it contributes to the training right"),
        _("Planned participants"),
        _("Realised participants"),
        _("Planned hours"),
        _("Realised hours"),
        _("Planned cost (EUR)"),
        _("Realised net cost (EUR)"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    figures = context["figures"]
    for row in figures.lines:
        line = row.line
        sheet.append(
            [
                line.title,
                line.get_category_display(),
                line.get_learning_form_display(),
                line.target_group,
                ", ".join(_(label) for label in row.risks),
                line.gender_note,
                _("yes") if line.counts_for_right else _("no"),
                line.right_note,
                line.planned_participants,
                row.participants,
                line.planned_hours,
                row.hours,
                line.planned_cost,
                row.cost,
            ]
        )
    sheet.append(
        [_("Total"), "", "", "", "", "", "", "", figures.planned_participants,
         figures.participants, figures.planned_hours, figures.hours, figures.planned_cost,
         figures.cost]
    )  # fmt: skip
    needs = book.create_sheet(_("Needs"))
    needs.append([_("Source"), _("Need"), _("Target group"), _("Needs"), _("Taken up")])
    for group in context["needs"]:
        needs.append(
            [
                group.source,
                group.subject,
                group.target,
                group.count if group.count is not None else _("fewer than 5"),
                group.resolved if group.resolved is not None else "",
            ]
        )
    if not filing:
        comments = book.create_sheet(_("Comments"))
        comments.append([_("Date"), _("Author"), _("Comment")])
        for comment in context["comments"]:
            comments.append([comment.created_at.date(), str(comment.author or ""), comment.text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@requires(VIEW)
def plan_export(request: OrganisationHttpRequest, plan_id: int, export_kind: str) -> HttpResponse:
    """PDF or XLSX of the plan; `filing-*` is the copy for FOD WASO, with no person named. A
    consultation-body member only gets the filing copy (aggregates only)."""
    plan = _plan(request, plan_id)
    if export_kind not in EXPORTS:
        raise Http404
    filing = export_kind.startswith("filing") or not request.user.has_perm(MANAGE)
    stem = f"opleidingsplan-{request.organisation.slug}-{plan.year}"
    if filing:
        stem += "-neerlegging"
    if export_kind.endswith("pdf"):
        response = HttpResponse(
            render_plan_pdf(plan, filing=filing), content_type="application/pdf"
        )
        name = f"{stem}.pdf"
    else:
        response = HttpResponse(
            render_plan_xlsx(plan, filing=filing),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"{stem}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Needs ------------------------------------------------------------------------------------


@requires(VIEW)
def need_list(request: OrganisationHttpRequest) -> HttpResponse:
    """HR sees every need with its person and how it is met; others (a line manager, the
    consultation body) see the counts by target group only."""
    today = timezone.localdate()
    year = _year(request, today.year)
    kind = "gap" if request.GET.get("kind") == "gap" else "submitted"
    can_manage = request.user.has_perm(MANAGE)
    context: dict[str, Any] = {
        "year": year,
        "kind": kind,
        "can_manage": can_manage,
        "years": [today.year - 1, today.year, today.year + 1],
        "stylesheet": STYLESHEET,
    }
    if can_manage:
        page, rows = selectors_plan.needs_page(
            request.organisation, year, kind, request.GET.get("page")
        )
        context.update({"page_obj": page, "rows": rows})
    else:
        context["groups"] = selectors_plan.needs_aggregate(request.organisation, year)
    return render(request, "registration/plan/needs.html", context)


PROMPTS = (
    # The three learning-culture questions of the brochure (L1890-1898), asked instead of "what
    # did you learn": the answers point to training needs, often to networking more than to a
    # course.
    gettext_lazy("What did you do when that problem came up?"),
    gettext_lazy("What went well?"),
    gettext_lazy("What handy things did you find?"),
)


@require_http_methods(["GET", "POST"])
@requires(SUBMIT)
def need_submit(request: OrganisationHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    sources = services_plan.allowed_sources(request.user)
    competences = Competence.objects.filter(
        organisation_id=request.organisation.pk, is_active=True
    ).order_by("name")
    form = NeedForm(
        _posted(request),
        initial={"year": today.year if today.month <= 3 else today.year + 1, "source": sources[0]},
        competences=competences,
        sources=sources,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_plan.need_submit(
                organisation=request.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("Thank you: HR takes your need into the training plan."))
            return redirect("registration:need-submit")
    return form_page(
        request,
        form,
        {
            "title": _("Put a training need forward"),
            "back_url": reverse("core:home"),
            "prompts": PROMPTS,
            "submit": _("Send"),
            "stylesheet": STYLESHEET,
        },
        template="registration/plan/need_form.html",
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def need_resolve(request: OrganisationHttpRequest, need_kind: str, need_id: int) -> HttpResponse:
    need: TrainingNeed | SubmittedNeed
    if need_kind == "gap":
        need = get_object_or_404(
            TrainingNeed.objects.select_related("competence", "employee", "unit"),
            organisation_id=request.organisation.pk,
            pk=need_id,
        )
        year = timezone.localdate().year
    elif need_kind == "submitted":
        need = get_object_or_404(
            SubmittedNeed.objects.select_related("competence", "employee", "unit"),
            organisation_id=request.organisation.pk,
            pk=need_id,
        )
        year = need.year
    else:
        raise Http404
    resolution = getattr(need, "resolution", None)
    suggestion = services_plan.suggest_form(need.competence)
    lines = PlanLine.objects.filter(
        plan__organisation_id=request.organisation.pk, plan__year=year
    ).order_by("position", "id")
    form = ResolutionForm(
        _posted(request),
        initial={
            "learning_form": resolution.learning_form
            if resolution
            else (suggestion.form if suggestion else None),
            "plan_line": resolution.plan_line_id if resolution else None,
            "note": resolution.note if resolution else "",
        },
        lines=lines,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_plan.need_resolve(need=need, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("Saved how the need is met."))
            back = reverse("registration:need-list") + f"?year={year}&kind={need_kind}"
            return redirect(back)
    return form_page(
        request,
        form,
        {
            "title": _("How is this need met?"),
            "back_url": reverse("registration:need-list") + f"?year={year}&kind={need_kind}",
            "need": need,
            "need_kind": need_kind,
            "suggestion": suggestion,
            "year": year,
            "submit": _("Save"),
            "stylesheet": STYLESHEET,
        },
        template="registration/plan/need_resolve.html",
    )


# --- Transfer follow-up -----------------------------------------------------------------------


@requires(FOLLOW)
def transfer_list(request: OrganisationHttpRequest) -> HttpResponse:
    status = request.GET.get("status", TransferStatus.OPEN)
    if status not in TransferStatus.values and status != "all":
        status = TransferStatus.OPEN
    today = timezone.localdate()
    page, counts = selectors_plan.transfer_list(
        access=request.access,
        status="" if status == "all" else status,
        today=today,
        number=request.GET.get("page"),
    )
    return render(
        request,
        "registration/plan/transfers.html",
        {
            "page_obj": page,
            "counts": counts,
            "status": status,
            "statuses": TransferStatus.choices,
            "today": today,
            "stylesheet": STYLESHEET,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(FOLLOW)
def transfer_edit(request: OrganisationHttpRequest, followup_id: int) -> HttpResponse:
    followup = get_object_or_404(
        TransferFollowUp.objects.select_related(
            "participation__employee__unit", "participation__activity"
        ),
        organisation_id=request.organisation.pk,
        pk=followup_id,
    )
    if not request.user.has_perm(FOLLOW, followup):
        raise PermissionDenied
    form = TransferForm(
        _posted(request),
        initial={
            "status": followup.status
            if followup.status != TransferStatus.OPEN
            else TransferStatus.APPLIED,
            "employee_note": followup.employee_note,
            "manager_note": followup.manager_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_plan.transfer_record(
                followup=followup, by=request.user, on=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("registration:transfer-list")
    return form_page(
        request,
        form,
        {
            "title": _("Applying %(course)s at work")
            % {"course": followup.participation.activity.title},
            "back_url": reverse("registration:transfer-list"),
            "followup": followup,
            "submit": _("Save"),
            "stylesheet": STYLESHEET,
        },
        template="registration/plan/transfer_form.html",
    )


urlpatterns: list[URLPattern] = [
    path("plans/", plan_list, name="plan-list"),
    path("plans/<int:plan_id>/", plan_detail, name="plan-detail"),
    path("plans/<int:plan_id>/edit/", plan_edit, name="plan-edit"),
    path("plans/<int:plan_id>/lines/new/", line_add, name="plan-line-add"),
    path("plans/<int:plan_id>/lines/<int:line_id>/", line_edit, name="plan-line-edit"),
    path("plans/<int:plan_id>/share/", plan_share, name="plan-share"),
    path("plans/<int:plan_id>/comment/", plan_comment, name="plan-comment"),
    path("plans/<int:plan_id>/advice/", plan_advice, name="plan-advice"),
    path("plans/<int:plan_id>/in-force/", plan_in_force, name="plan-in-force"),
    path("plans/<int:plan_id>/filed/", plan_filed, name="plan-filed"),
    path("plans/<int:plan_id>/export/<str:export_kind>/", plan_export, name="plan-export"),
    path("needs/", need_list, name="need-list"),
    path("needs/new/", need_submit, name="need-submit"),
    path("needs/<str:need_kind>/<int:need_id>/resolve/", need_resolve, name="need-resolve"),
    path("transfers/", transfer_list, name="transfer-list"),
    path("transfers/<int:followup_id>/", transfer_edit, name="transfer-edit"),
]
