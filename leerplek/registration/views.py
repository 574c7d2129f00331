"""Pages of the registration core (see docs/registration.md).

- `registration:activity-list`, `-create`, `-detail`, `-edit`: learning activities with their
  participants and cost lines (REG-01, REG-02, REG-04, REG-05, REG-07, REG-10); HR writes, a line
  manager reads the activities his people took part in.

The social-balance pages (`registration:social-balance` and the records, exports and year
writes) live in `views_sb.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import Employee, PersonType
from leerplek.registration import selectors, services
from leerplek.registration.forms import (
    ActivityFilterForm,
    ActivityForm,
    CostLineForm,
    ParticipantForm,
)
from leerplek.registration.models import (
    GROSS_COST_KINDS,
    Activity,
    Category,
    CostKind,
    CostLine,
    ExtraField,
    Participation,
)
from leerplek.training.forms_leittext import put_errors

VIEW = "registration.view_activities"
MANAGE = "registration.manage_activities"
PAGE_SIZE = 25
STYLESHEET = "registration/registration.css"


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def visible_activities(request: OrganisationHttpRequest) -> QuerySet[Activity]:
    """The activities the user may see: all of the organisation for HR, otherwise those with a
    participant in the user's scope."""
    activities = Activity.objects.filter(organisation_id=request.organisation.pk)
    if request.user.has_perm(MANAGE):
        return activities
    people = Employee.objects.filter(request.access.employee_scope_q()).filter(
        learning_participations__activity=OuterRef("pk")
    )
    return activities.filter(Exists(people))


def _activity(request: OrganisationHttpRequest, activity_id: int) -> Activity:
    activity = get_object_or_404(
        visible_activities(request).select_related("organisation", "need", "plan_line"),
        pk=activity_id,
    )
    return activity


def _totals(lines: list[CostLine]) -> dict[str, Decimal]:
    gross = sum((line.amount for line in lines if line.kind in GROSS_COST_KINDS), Decimal("0"))
    contributions = sum(
        (line.amount for line in lines if line.kind == CostKind.CONTRIBUTION), Decimal("0")
    )
    subsidies = sum((line.amount for line in lines if line.kind == CostKind.SUBSIDY), Decimal("0"))
    return {
        "gross": gross,
        "contributions": contributions,
        "subsidies": subsidies,
        "net": gross + contributions - subsidies,
    }


@requires(VIEW)
def activity_list(request: OrganisationHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = selectors.years_of(request.organisation, today)
    form = ActivityFilterForm(request.GET or None, years=years)
    data = form.cleaned_data if form.is_valid() else {}
    activities = visible_activities(request)
    if data.get("q"):
        activities = activities.filter(
            Q(title__icontains=data["q"]) | Q(organiser_name__icontains=data["q"])
        )
    if data.get("year"):
        start, end = services.year_bounds(request.organisation, data["year"])
        activities = activities.filter(end_date__gte=start, end_date__lte=end)
    if data.get("category"):
        activities = activities.filter(category=data["category"])
    if data.get("status"):
        activities = activities.filter(status=data["status"])
    if data.get("counted") == "yes":
        activities = activities.filter(exclusion="")
    elif data.get("counted") == "no":
        activities = activities.exclude(exclusion="")
    activities = activities.annotate(
        people=Count("participations", distinct=True),
        hours=Sum("participations__hours"),
    ).order_by("-end_date", "-id")
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [activity.pk for activity in page.object_list]
    costs: dict[int, list[CostLine]] = {}
    for line in CostLine.objects.filter(activity_id__in=ids):
        costs.setdefault(line.activity_id, []).append(line)
    rows = [
        {
            "activity": activity,
            "net": _totals(costs.get(activity.pk, []))["net"],
            "flags": services.initial_flags(activity),
        }
        for activity in page.object_list
    ]
    return render(
        request,
        "registration/activity_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "filtered": any(value not in (None, "") for value in data.values()),
            "can_manage": request.user.has_perm(MANAGE),
            "stylesheet": STYLESHEET,
        },
    )


def _extra_fields(request: OrganisationHttpRequest) -> list[ExtraField]:
    return list(ExtraField.objects.filter(organisation_id=request.organisation.pk, active=True))


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def activity_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = ActivityForm(
        _posted(request),
        extra_fields=_extra_fields(request),
        initial={"start_date": timezone.localdate(), "counts_for_right": True},
    )
    if request.method == "POST" and form.is_valid():
        values, extra = form.values()
        try:
            activity = services.activity_create(
                organisation=request.organisation, by=request.user, extra=extra, **values
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                _("%(title)s was registered. Add its participants and costs.")
                % {"title": activity.title},
            )
            return redirect("registration:activity-detail", activity_id=activity.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Register a learning activity"),
            "back_url": reverse("registration:activity-list"),
            "intro": _(
                "A course, a training, or learning in the work: coaching, learning on the job, "
                "a study visit, self-study. Participants and costs come on the next page."
            ),
            "submit": _("Register"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(MANAGE)
def activity_edit(request: OrganisationHttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    form = ActivityForm(
        _posted(request),
        extra_fields=_extra_fields(request),
        initial=ActivityForm.initial_of(activity),
    )
    if request.method == "POST" and form.is_valid():
        values, extra = form.values()
        try:
            services.activity_update(activity=activity, by=request.user, extra=extra, **values)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("registration:activity-detail", activity_id=activity.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Change %(title)s") % {"title": activity.title},
            "back_url": reverse("registration:activity-detail", args=[activity.pk]),
            "submit": _("Save"),
        },
    )


def _detail(
    request: OrganisationHttpRequest,
    activity: Activity,
    participant_form: ParticipantForm | None = None,
    cost_form: CostLineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    participations = list(
        Participation.objects.filter(activity=activity)
        .select_related("employee", "employee__unit")
        .order_by("employee__last_name", "employee__first_name", "id")
    )
    lines = list(CostLine.objects.filter(activity=activity).select_related("employee"))
    counted_types = set(selectors._setting("SB_CONTINUING_PERSON_TYPES"))
    initial_types = set(selectors._setting("SB_INITIAL_PERSON_TYPES"))
    types = initial_types if activity.category == Category.INITIAL else counted_types
    can_manage = request.user.has_perm(MANAGE)
    closed = services.is_closed_on(activity.organisation, activity.end_date)
    return render(
        request,
        "registration/activity_detail.html",
        {
            "activity": activity,
            "rows": [
                {"participation": p, "counted": p.employee.person_type in types}
                for p in participations
            ],
            "hours": sum((p.hours for p in participations), Decimal("0")),
            "lines": lines,
            "totals": _totals(lines),
            "flags": services.initial_flags(activity),
            "competences": list(activity.competences.all()),
            "extra": [
                (field.label, activity.extra.get(field.key))
                for field in _extra_fields(request)
                if field.key in (activity.extra or {})
            ],
            "closed": closed,
            "can_manage": can_manage and not closed,
            "participant_form": participant_form
            or ParticipantForm(access=request.access, initial={"hours": activity.duration_hours}),
            "cost_form": cost_form or CostLineForm(activity=activity),
            "agency": PersonType.AGENCY,
            "stylesheet": STYLESHEET,
        },
        status=status,
    )


@requires(VIEW)
def activity_detail(request: OrganisationHttpRequest, activity_id: int) -> HttpResponse:
    return _detail(request, _activity(request, activity_id))


@require_POST
@requires(MANAGE)
def participant_add(request: OrganisationHttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    form = ParticipantForm(request.POST, access=request.access)
    if form.is_valid():
        data = dict(form.cleaned_data)
        employee = data.pop("employee")
        data["outside_working_hours"] = data.get("outside_working_hours") or 0
        try:
            services.participant_add(activity=activity, by=request.user, employee=employee, **data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": employee})
            return redirect("registration:activity-detail", activity_id=activity.pk)
    return _detail(request, activity, participant_form=form, status=422)


@require_POST
@requires(MANAGE)
def participant_remove(
    request: OrganisationHttpRequest, activity_id: int, participation_id: int
) -> HttpResponse:
    activity = _activity(request, activity_id)
    participation = get_object_or_404(Participation, activity=activity, pk=participation_id)
    try:
        services.participant_remove(participation=participation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": participation.employee})
    return redirect("registration:activity-detail", activity_id=activity.pk)


@require_POST
@requires(MANAGE)
def cost_add(request: OrganisationHttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    form = CostLineForm(request.POST, activity=activity)
    if form.is_valid():
        try:
            services.cost_line_add(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The cost line was added."))
            return redirect("registration:activity-detail", activity_id=activity.pk)
    return _detail(request, activity, cost_form=form, status=422)


@require_POST
@requires(MANAGE)
def cost_remove(
    request: OrganisationHttpRequest, activity_id: int, cost_line_id: int
) -> HttpResponse:
    activity = _activity(request, activity_id)
    line = get_object_or_404(CostLine, activity=activity, pk=cost_line_id)
    try:
        services.cost_line_remove(line=line, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The cost line was removed."))
    return redirect("registration:activity-detail", activity_id=activity.pk)


urlpatterns: list[URLPattern] = [
    path("activities/", activity_list, name="activity-list"),
    path("activities/new/", activity_create, name="activity-create"),
    path("activities/<int:activity_id>/", activity_detail, name="activity-detail"),
    path("activities/<int:activity_id>/edit/", activity_edit, name="activity-edit"),
    path("activities/<int:activity_id>/participants/", participant_add, name="participant-add"),
    path(
        "activities/<int:activity_id>/participants/<int:participation_id>/remove/",
        participant_remove,
        name="participant-remove",
    ),
    path("activities/<int:activity_id>/costs/", cost_add, name="cost-add"),
    path(
        "activities/<int:activity_id>/costs/<int:cost_line_id>/remove/",
        cost_remove,
        name="cost-remove",
    ),
]


def home_part(request: OrganisationHttpRequest) -> tuple[str, dict[str, Any]] | None:
    """A card for HR: drafts of workplace learning waiting to be confirmed, the plan's
    deadlines due soon, and the social balance of last year (two queries)."""
    if not request.user.has_perm(MANAGE):
        return None
    from leerplek.registration.models import ActivityStatus
    from leerplek.registration.services_plan import plan_deadline_warnings

    today = timezone.localdate()
    drafts = Activity.objects.filter(
        organisation_id=request.organisation.pk, status=ActivityStatus.DRAFT
    ).count()
    return (
        "registration/home_part.html",
        {
            "drafts": drafts,
            "warnings": plan_deadline_warnings(request.organisation, today),
            "last_year": services.year_of(request.organisation, today) - 1,
        },
    )
