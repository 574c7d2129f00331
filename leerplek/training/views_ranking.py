"""Pages of the machine ranking (OJT-09) and the usage statistics (OJT-16); see
docs/training-ranking-usage.md.

- `training:ranking-list`: the rounds; HR opens one (`training:ranking-create`).
- `training:ranking-score`: a production manager scores every machine of the round's unit on
  the four questions, in one form; an open round only.
- `training:ranking-result`: the machines by weighted score, with the per-question averages, the
  number of scorers and whether a work instruction exists ("write the instruction").
- `training:ranking-close`: HR closes the round; it is read-only from then on.
- `training:usage`: who follows, completed and stopped programmes, per programme and audience.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from leerplek.core.decorators import requires
from leerplek.core.formviews import form_page, save_with
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.roles import Role
from leerplek.training import selectors_ranking, services_ranking
from leerplek.training.forms_ranking import CloseForm, RoundForm, ScoreForm
from leerplek.training.models import RankingQuestion, RankingRound

STYLESHEET = "training/ranking.css"


def _data(request: OrganisationHttpRequest) -> Any:
    """The POST data, also when empty: an empty POST shows the form's errors, never a blank
    form (an empty QueryDict is falsy, so `request.POST or None` would not bind it)."""
    return request.POST if request.method == "POST" else None


def _round(request: OrganisationHttpRequest, ranking_round_id: int) -> RankingRound:
    """A round of the current organisation (another organisation's is a 404)."""
    return get_object_or_404(
        RankingRound.objects.select_related("unit", "closed_by", "created_by"),
        organisation_id=request.access.organisation_id,
        pk=ranking_round_id,
    )


def _result_url(ranking_round: RankingRound) -> str:
    return reverse("training:ranking-result", kwargs={"ranking_round_id": ranking_round.pk})


# --- Rounds --------------------------------------------------------------------------------------


@requires("training.rank_machines")
def ranking_list(request: OrganisationHttpRequest) -> HttpResponse:
    rounds = selectors_ranking.round_list(
        organisation_id=request.organisation.pk, scorer=request.user
    )
    return render(
        request,
        "training/ranking/round_list.html",
        {
            "rounds": rounds,
            "can_manage": request.user.has_perm("training.manage_rankings"),
            "can_usage": request.user.has_perm("training.view_usage"),
        },
    )


@requires("training.manage_rankings")
def ranking_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = RoundForm(_data(request), organisation=request.organisation)
    if request.method == "POST" and (
        ranking_round := save_with(
            form,
            lambda data: services_ranking.ranking_round_create(
                organisation=request.organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(
            request,
            _("The ranking is open: the production managers can score the machines now."),
        )
        return redirect(_result_url(ranking_round))
    return form_page(
        request,
        form,
        {
            "title": _("New machine ranking"),
            "cancel_url": "training:ranking-list",
            "intro": _(
                "The production managers score each machine on four questions. The ranking "
                "shows where a work instruction adds the most value."
            ),
            "submit": _("Open the ranking"),
        },
    )


@requires("training.rank_machines")
def ranking_score(request: OrganisationHttpRequest, ranking_round_id: int) -> HttpResponse:
    """All machines of the round on one form. A closed round is read-only: its result."""
    ranking_round = _round(request, ranking_round_id)
    if ranking_round.closed_on is not None:
        messages.info(request, _("This ranking is closed: the scores can no longer change."))
        return redirect(_result_url(ranking_round))
    sheet = selectors_ranking.scoring_sheet(ranking_round=ranking_round, scorer=request.user)
    form = ScoreForm(_data(request), machines=sheet.machines, mine=sheet.mine)
    if request.method == "POST" and save_with(
        form,
        lambda data: services_ranking.machine_scores_save(
            ranking_round=ranking_round, by=request.user, scores=form.scores()
        ),
    ):
        messages.success(request, _("Your scores are saved. Thank you."))
        return redirect(_result_url(ranking_round))
    return form_page(
        request,
        form,
        {
            "title": _("Score the machines"),
            "back_url": reverse("training:ranking-list"),
            "ranking_round": ranking_round,
            "rows": form.rows(),
            "already_scored": bool(sheet.mine),
            "stylesheet": STYLESHEET,
            "submit": _("Save my scores"),
        },
        template="training/ranking/score.html",
    )


@requires("training.rank_machines")
def ranking_result(request: OrganisationHttpRequest, ranking_round_id: int) -> HttpResponse:
    ranking_round = _round(request, ranking_round_id)
    result = selectors_ranking.ranking_result(ranking_round=ranking_round)
    sort = request.GET.get("sort", "rank")
    rows = selectors_ranking.sorted_rows(result.scored, sort)
    is_open = ranking_round.closed_on is None
    return render(
        request,
        "training/ranking/result.html",
        {
            "ranking_round": ranking_round,
            "result": result,
            "rows": rows,
            "sort": sort if sort in selectors_ranking.SORT_KEYS else "rank",
            "weights": [(label, result.weights[value]) for value, label in RankingQuestion.choices],
            "is_open": is_open,
            "can_score": is_open,
            "can_close": is_open and request.user.has_perm("training.manage_rankings"),
            "can_write": request.user.has_perm("training.author_instructions"),
            "can_usage": request.user.has_perm("training.view_usage"),
        },
    )


@requires("training.manage_rankings")
def ranking_close(request: OrganisationHttpRequest, ranking_round_id: int) -> HttpResponse:
    ranking_round = _round(request, ranking_round_id)
    if ranking_round.closed_on is not None:
        messages.info(request, _("This ranking is already closed."))
        return redirect(_result_url(ranking_round))
    form = CloseForm(_data(request))
    if request.method == "POST" and save_with(
        form,
        lambda data: services_ranking.ranking_round_close(
            ranking_round=ranking_round, by=request.user
        ),
    ):
        messages.success(request, _("The ranking is closed: the result is final."))
        return redirect(_result_url(ranking_round))
    return form_page(
        request,
        form,
        {
            "title": _("Close %(title)s") % {"title": ranking_round.title},
            "back_url": _result_url(ranking_round),
            "intro": _(
                "Close the ranking once every production manager has scored. The result then "
                "stays as it is and orders the instruction writing."
            ),
            "submit": _("Close the ranking"),
            "danger": True,
        },
    )


# --- Usage statistics ----------------------------------------------------------------------------


@requires("training.view_usage")
def usage(request: OrganisationHttpRequest) -> HttpResponse:
    report = selectors_ranking.usage_statistics(organisation_id=request.organisation.pk)
    return render(
        request,
        "training/ranking/usage.html",
        {"report": report, "can_rank": request.user.has_perm("training.rank_machines")},
    )


# --- Parts for the shared pages ------------------------------------------------------------------


def home_part(request: OrganisationHttpRequest) -> Any:
    """A production manager's card: open rankings he has not scored yet (one query)."""
    if not request.access.has_role(Role.MANAGER) or not request.user.has_perm(
        "training.rank_machines"
    ):
        return None
    rounds = selectors_ranking.rounds_to_score(
        organisation_id=request.organisation.pk, scorer=request.user
    )
    if not rounds:
        return None
    return ("training/ranking/home_part.html", {"rounds": rounds})


urlpatterns: list[URLPattern] = [
    path("rankings/", ranking_list, name="ranking-list"),
    path("rankings/new/", ranking_create, name="ranking-create"),
    path("rankings/<int:ranking_round_id>/", ranking_result, name="ranking-result"),
    path("rankings/<int:ranking_round_id>/score/", ranking_score, name="ranking-score"),
    path("rankings/<int:ranking_round_id>/close/", ranking_close, name="ranking-close"),
    path("usage/", usage, name="usage"),
]
