"""Pages for the onboarding results (ONB-10) and the satisfaction pulse (MEN-12).

HR sees the results page and its export, and every pulse answer on the onboarding page. The
newcomer answers his pulse on his own page, the peter/meter on the home page and the onboarding
page. A peter never sees what the newcomer answered about him.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from leerplek.core.decorators import requires
from leerplek.core.formviews import save_with
from leerplek.core.htmx import is_htmx, vary_on_htmx
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.xlsx import Sheet, workbook_response
from leerplek.onboarding import selectors_metrics, services_metrics
from leerplek.onboarding.chart_metrics import independence_chart, leaver_chart
from leerplek.onboarding.forms_metrics import SCALES, MetricsFilterForm, PulseForm
from leerplek.onboarding.models import Onboarding, PulseRespondent
from leerplek.onboarding.selectors_metrics import GRAIN_QUARTER, Group, Metrics, PulsePrompt
from leerplek.people.models import Job

# --- The results page ----------------------------------------------------------------------------


def _default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Eight full quarters back, up to today: two years of cohorts."""
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return quarter_start.replace(year=quarter_start.year - 2), today


def _metrics(request: OrganisationHttpRequest) -> tuple[MetricsFilterForm, Metrics | None]:
    jobs = list(
        Job.objects.filter(organisation=request.organisation)
        .order_by("name", "id")
        .values_list("pk", "name")
    )
    start, end = _default_period(timezone.localdate())
    # An empty field takes its default, so the page opens on the last two years.
    data = {"date_from": start.isoformat(), "date_to": end.isoformat(), "grain": GRAIN_QUARTER}
    data.update({key: request.GET[key] for key in (*data, "job") if request.GET.get(key)})
    form = MetricsFilterForm(data, jobs=jobs)
    if not form.is_valid():
        return form, None
    return form, selectors_metrics.onboarding_metrics(
        organisation=request.organisation,
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
        grain=form.cleaned_data["grain"],
        job_id=form.cleaned_data["job"],
    )


@requires("onboarding.view_metrics")
def metrics(request: OrganisationHttpRequest) -> HttpResponse:
    form, data = _metrics(request)
    context: dict[str, Any] = {"form": form, "metrics": data, "query": request.GET.urlencode()}
    if data is not None and not data.is_empty:
        context["leaver_chart"] = leaver_chart(
            data.cohorts, percent_label=_("%(percent)s %% of %(count)s")
        )
        context["independence_chart"] = independence_chart(
            [cohort.total for cohort in data.cohorts],
            [cohort.label for cohort in data.cohorts],
            weeks_label=_("%(weeks)s wk"),
        )
    return render(
        request,
        "onboarding/metrics/metrics.html",
        context,
        status=200 if data is not None else 422,
    )


def _figures(group: Group) -> list[Any]:
    return [
        group.started,
        group.with_guide,
        group.independent,
        group.median_days,
        group.min_days,
        group.max_days,
        group.median_weeks,
        group.left_week,
        group.left_week_percent,
        group.left_period,
        group.left_period_percent,
        group.period_pending,
        group.newcomer_pulse,
        group.newcomer_answers,
        group.guide_pulse,
        group.guide_answers,
        _("small group") if group.is_small else "",
    ]


def _headers(data: Metrics) -> list[str]:
    return [
        _("Started"),
        _("With a peter/meter"),
        _("Independent"),
        _("Median days to independence"),
        _("Shortest (days)"),
        _("Longest (days)"),
        _("Median weeks to independence"),
        _("Left in the first week"),
        _("Left in the first week (%)"),
        _("Left within %(months)s months") % {"months": data.period_months},
        _("Left within %(months)s months (%%)") % {"months": data.period_months},
        _("Still within %(months)s months") % {"months": data.period_months},
        _("Newcomers' pulse (1-5)"),
        _("Newcomers' answers"),
        _("Peters' pulse (1-5)"),
        _("Peters' answers"),
        _("Note"),
    ]


@requires("onboarding.view_metrics")
def metrics_export(request: OrganisationHttpRequest) -> HttpResponse:
    _form, data = _metrics(request)
    if data is None:
        messages.error(request, _("Correct the period before exporting."))
        return redirect(reverse("onboarding:metrics") + "?" + request.GET.urlencode())
    headers = _headers(data)
    cohort_rows = []
    for cohort in data.cohorts:
        for who, side in (
            (_("All"), cohort.total),
            (_("With a peter/meter"), cohort.with_guide),
            (_("Without a peter/meter"), cohort.without_guide),
        ):
            if side.started:
                cohort_rows.append([cohort.label, who, *_figures(side)])
    sheets = [
        Sheet(
            title=_("Cohorts"),
            headers=[_("Cohort"), _("Newcomers"), *headers],
            rows=cohort_rows,
        ),
        Sheet(
            title=pgettext("job", "Functions"),
            headers=[_("Function"), *headers],
            rows=[[group.label, *_figures(group)] for group in data.functions],
        ),
        Sheet(
            title=_("With and without peter"),
            headers=[_("Newcomers"), *headers],
            rows=[
                [group.label, *_figures(group)]
                for group in (data.with_guide, data.without_guide, data.total)
            ],
        ),
    ]
    name = f"onboarding-results-{data.date_from.isoformat()}-{data.date_to.isoformat()}.xlsx"
    return workbook_response(sheets, name)


# --- The pulse -----------------------------------------------------------------------------------


def _question(prompt: PulsePrompt) -> str:
    if prompt.respondent == PulseRespondent.GUIDE:
        return _("Does guiding %(name)s give you recognition, renewed interest or a challenge?") % {
            "name": prompt.person_name
        }
    if prompt.has_guide:
        return _("How satisfied are you with your peter/meter and your start?")
    return _("How satisfied are you with your start?")


def _card(
    prompt: PulsePrompt, form: PulseForm | None = None, *, next_url: str = ""
) -> dict[str, Any]:
    answer = prompt.answer
    if form is None:
        initial = {"score": answer.score, "comment": answer.comment} if answer else None
        form = PulseForm(initial=initial, respondent=prompt.respondent)
    scale = dict(SCALES[prompt.respondent])
    return {
        "prompt": prompt,
        "question": _question(prompt),
        "form": form,
        "answer_label": scale.get(answer.score) if answer else "",
        "next": next_url,
    }


def _pulse_onboarding(request: OrganisationHttpRequest, onboarding_id: int) -> Onboarding:
    """An onboarding of this organisation whose newcomer the user may answer the pulse about:
    his own, or one he guides (the permission is checked on the newcomer)."""
    onboarding = get_object_or_404(
        Onboarding.objects.select_related("employee", "employee__unit"),
        organisation_id=request.access.organisation_id,
        pk=onboarding_id,
    )
    if not request.user.has_perm("onboarding.answer_pulse", onboarding.employee):
        raise PermissionDenied
    return onboarding


def _prompt_for(request: OrganisationHttpRequest, onboarding: Onboarding) -> PulsePrompt | None:
    employee_id = request.access.employee_id
    prompt = selectors_metrics.newcomer_pulse(onboarding=onboarding, employee_id=employee_id)
    if prompt is None:
        prompts = selectors_metrics.guide_pulses(
            employee_id=employee_id, onboarding_id=onboarding.pk
        )
        prompt = prompts[0] if prompts else None
    return prompt


def _safe_next(request: OrganisationHttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


@require_POST
@requires("onboarding.answer_pulse")
def pulse_answer(request: OrganisationHttpRequest, onboarding_id: int) -> HttpResponse:
    """Answer (or correct) the open pulse question. htmx gets the card back; a plain form post
    returns to the page it came from."""
    onboarding = _pulse_onboarding(request, onboarding_id)
    prompt = _prompt_for(request, onboarding)
    respondent = prompt.respondent if prompt else PulseRespondent.NEWCOMER
    form = PulseForm(request.POST, respondent=respondent)
    answer = save_with(
        form,
        lambda data: services_metrics.pulse_answer(
            onboarding=onboarding,
            score=data["score"],
            comment=data["comment"],
            by=request.user,
        ),
    )
    fallback = (
        reverse("onboarding:mine")
        if respondent == PulseRespondent.NEWCOMER
        else reverse("core:home")
    )
    next_url = _safe_next(request, fallback)
    if answer is not None:
        prompt = _prompt_for(request, onboarding)
        if not is_htmx(request):
            messages.success(request, _("Thank you, your answer was saved."))
            return vary_on_htmx(redirect(next_url))
    if prompt is None:
        # No open question: the form's error says why (the service refused it).
        context = {"form": form, "next": next_url, "prompt": None}
    else:
        context = _card(prompt, None if answer is not None else form, next_url=next_url)
        context["saved"] = answer is not None
    template = (
        "onboarding/metrics/pulse_card.html"
        if is_htmx(request)
        else "onboarding/metrics/pulse_page.html"
    )
    return vary_on_htmx(
        render(request, template, {"part": context}, status=200 if answer is not None else 422)
    )


urlpatterns: list[URLPattern] = [
    path("results/", metrics, name="metrics"),
    path("results/export/", metrics_export, name="metrics-export"),
    path("<int:onboarding_id>/pulse/", pulse_answer, name="pulse-answer"),
]


# --- Sections on the shared pages ----------------------------------------------------------------


def mine_part(
    request: OrganisationHttpRequest, onboarding: Onboarding | None
) -> tuple[str, dict[str, Any]] | None:
    """The newcomer's pulse question on his own page, in the pulse weeks."""
    if onboarding is None:
        return None
    prompt = selectors_metrics.newcomer_pulse(
        onboarding=onboarding, employee_id=request.access.employee_id
    )
    if prompt is None:
        return None
    return "onboarding/metrics/pulse_card.html", _card(prompt, next_url=reverse("onboarding:mine"))


def home_part(request: OrganisationHttpRequest) -> tuple[str, dict[str, Any]] | None:
    """The peter/meter's pulse questions on the home page: one per newcomer whose question is
    open."""
    if not request.access.mentee_ids():
        return None
    prompts = selectors_metrics.guide_pulses(employee_id=request.access.employee_id)
    if not prompts:
        return None
    home = reverse("core:home")
    return "onboarding/metrics/pulse_cards.html", {
        "cards": [_card(prompt, next_url=home) for prompt in prompts]
    }


def detail_part(
    request: OrganisationHttpRequest, onboarding: Onboarding
) -> tuple[str, dict[str, Any]] | None:
    """On the onboarding page: the peter/meter's own open question; for HR every answer."""
    context: dict[str, Any] = {}
    if onboarding.employee_id in request.access.mentee_ids():
        prompts = selectors_metrics.guide_pulses(
            employee_id=request.access.employee_id, onboarding_id=onboarding.pk
        )
        if prompts:
            context["card"] = _card(
                prompts[0],
                next_url=reverse("onboarding:onboarding-detail", args=[onboarding.pk]),
            )
    if request.user.has_perm("onboarding.view_metrics"):
        context["history"] = selectors_metrics.pulse_history(onboarding=onboarding)
        context["weeks"] = selectors_metrics.pulse_weeks()
    if not context:
        return None
    return "onboarding/metrics/pulse_detail.html", context
