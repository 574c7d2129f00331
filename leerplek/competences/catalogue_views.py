"""Pages for configuring the catalogue: competence groups and level scales with their levels.

Every member may look (the catalogue is public to members); HR and the administrator change.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerplek.competences import catalogue_selectors, catalogue_services
from leerplek.competences.catalogue_forms import (
    GroupForm,
    LevelForm,
    LevelTextForm,
    ScaleCreateForm,
    ScaleForm,
)
from leerplek.competences.models import CompetenceGroup, Level, LevelScale
from leerplek.competences.services import default_scale
from leerplek.core.decorators import get_allowed, requires
from leerplek.core.formviews import form_page, fresh_copy, save_with
from leerplek.core.http import OrganisationHttpRequest

CHANGE = "competences.change_catalogue"
VIEW = "competences.view_catalogue"


# --- Groups --------------------------------------------------------------------------------------


@requires(VIEW)
def group_list(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "competences/catalogue/group_list.html",
        {
            "groups": catalogue_selectors.group_list(organisation=request.organisation),
            "default_scale": default_scale(request.organisation),
            "can_change": request.user.has_perm(CHANGE),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def group_create(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = GroupForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and (
        group := save_with(
            form,
            lambda data: catalogue_services.group_create(
                organisation=organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(request, _("The group %(name)s was added.") % {"name": group.name})
        return redirect("competences:group-list")
    return form_page(
        request,
        form,
        {
            "title": _("New competence group"),
            "cancel_url": "competences:group-list",
            "intro": _(
                "A group gathers related competences in the catalogue, e.g. Hygiene or "
                "Maintenance, and may measure them on its own scale."
            ),
        },
    )


def _group(request: OrganisationHttpRequest, group_id: int) -> CompetenceGroup:
    return get_allowed(
        request,
        CompetenceGroup.objects.select_related("scale", "organisation"),
        CHANGE,
        pk=group_id,
    )


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def group_edit(request: OrganisationHttpRequest, group_id: int) -> HttpResponse:
    group = _group(request, group_id)
    form = GroupForm(
        request.POST or None, instance=fresh_copy(group), organisation=request.organisation
    )
    if request.method == "POST" and save_with(
        form,
        lambda data: catalogue_services.group_update(group=group, by=request.user, **data),
    ):
        messages.success(request, _("The group was saved."))
        return redirect("competences:group-list")
    return form_page(
        request,
        form,
        {
            "title": _("Edit group %(name)s") % {"name": group.name},
            "cancel_url": "competences:group-list",
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def group_delete(request: OrganisationHttpRequest, group_id: int) -> HttpResponse:
    group = _group(request, group_id)
    refusal = ""
    if request.method == "POST":
        try:
            count = catalogue_services.group_delete(group=group, by=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request,
                _("The group %(name)s was deleted; %(count)s competences are now without a group.")
                % {"name": group.name, "count": count},
            )
            return redirect("competences:group-list")
    return render(
        request,
        "competences/catalogue/group_delete.html",
        {"group": group, "count": group.competences.count(), "refusal": refusal},
        status=422 if refusal else 200,
    )


# --- Scales --------------------------------------------------------------------------------------


@requires(VIEW)
def scale_list(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "competences/catalogue/scale_list.html",
        {
            "scales": catalogue_selectors.scale_list(organisation=request.organisation),
            "iluo": [
                (catalogue_selectors.symbol_path(quarter / 4), code, meaning)
                for quarter, (code, meaning) in enumerate(
                    [
                        ("0", _("has not learned it yet")),
                        ("I", _("in training: learns it, only under supervision")),
                        ("L", _("can do it with help, not yet to standard")),
                        (
                            "U",
                            _(
                                "does it independently, to standard and on time: counts for "
                                "coverage"
                            ),
                        ),
                        ("O", _("can teach it to others: counts for coverage and may train")),
                    ]
                )
            ],
            "can_change": request.user.has_perm(CHANGE),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def scale_create(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = ScaleCreateForm(request.POST or None)
    if request.method == "POST" and (
        scale := save_with(
            form,
            lambda data: catalogue_services.scale_create(
                organisation=organisation, by=request.user, **data
            ),
        )
    ):
        messages.success(request, _("The scale %(name)s was created.") % {"name": scale.name})
        if not scale.levels.exists():
            return redirect("competences:level-add", scale_id=scale.pk)
        return redirect("competences:scale-list")
    return form_page(
        request,
        form,
        {
            "title": _("New level scale"),
            "cancel_url": "competences:scale-list",
            "intro": _(
                "The default scale ILUO stays the default. A new scale is used by the groups you "
                "give it to."
            ),
        },
    )


def _scale(request: OrganisationHttpRequest, scale_id: int) -> LevelScale:
    return get_allowed(
        request, LevelScale.objects.select_related("organisation"), CHANGE, pk=scale_id
    )


def _level(scale: LevelScale, level_id: int) -> Level:
    level = Level.objects.filter(scale=scale, pk=level_id).select_related("scale").first()
    if level is None:
        raise Http404
    return level


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def scale_edit(request: OrganisationHttpRequest, scale_id: int) -> HttpResponse:
    scale = _scale(request, scale_id)
    form = ScaleForm(request.POST or None, initial={"name": scale.name})
    if request.method == "POST" and save_with(
        form,
        lambda data: catalogue_services.scale_update(scale=scale, by=request.user, **data),
    ):
        messages.success(request, _("The scale was saved."))
        return redirect("competences:scale-list")
    return form_page(
        request,
        form,
        {
            "title": _("Rename scale %(name)s") % {"name": scale.name},
            "cancel_url": "competences:scale-list",
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def scale_delete(request: OrganisationHttpRequest, scale_id: int) -> HttpResponse:
    scale = _scale(request, scale_id)
    refusal = catalogue_services.scale_delete_refusal(scale)
    if request.method == "POST" and refusal is None:
        try:
            catalogue_services.scale_delete(scale=scale, by=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The scale %(name)s was deleted.") % {"name": scale.name})
            return redirect("competences:scale-list")
    return render(
        request,
        "competences/catalogue/scale_delete.html",
        {"scale": scale, "refusal": refusal},
        status=422 if refusal and request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def level_add(request: OrganisationHttpRequest, scale_id: int) -> HttpResponse:
    scale = _scale(request, scale_id)
    ranks = list(scale.levels.values_list("rank", flat=True))
    form = LevelForm(
        request.POST or None,
        instance=Level(scale=scale),
        initial={"rank": max(ranks) + 1 if ranks else 1},
    )
    if request.method == "POST" and (
        level := save_with(
            form,
            lambda data: catalogue_services.level_add(scale=scale, by=request.user, **data),
        )
    ):
        messages.success(
            request,
            _("The level %(code)s was added to %(scale)s.")
            % {"code": level.code, "scale": scale.name},
        )
        return redirect("competences:scale-list")
    return form_page(
        request,
        form,
        {
            "title": _("New level on %(scale)s") % {"scale": scale.name},
            "cancel_url": "competences:scale-list",
            "intro": _(
                "Add the levels from low to high. At least one level must count for coverage "
                "before a group can use the scale."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def level_edit(request: OrganisationHttpRequest, scale_id: int, level_id: int) -> HttpResponse:
    scale = _scale(request, scale_id)
    level = _level(scale, level_id)
    form = LevelTextForm(request.POST or None, instance=fresh_copy(level))
    if request.method == "POST" and save_with(
        form,
        lambda data: catalogue_services.level_update(level=level, by=request.user, **data),
    ):
        messages.success(request, _("The level was saved."))
        return redirect("competences:scale-list")
    return form_page(
        request,
        form,
        {
            "title": _("Level %(code)s of %(scale)s") % {"code": level.code, "scale": scale.name},
            "cancel_url": "competences:scale-list",
            "intro": _(
                "The name and description explain the level everywhere it is shown. The code, "
                "rank and coverage stay, so earlier assessments keep their meaning."
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CHANGE)
def level_delete(request: OrganisationHttpRequest, scale_id: int, level_id: int) -> HttpResponse:
    scale = _scale(request, scale_id)
    level = _level(scale, level_id)
    refusal = ""
    if request.method == "POST":
        try:
            catalogue_services.level_delete(level=level, by=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("The level %(code)s was deleted.") % {"code": level.code})
            return redirect("competences:scale-list")
    return render(
        request,
        "competences/catalogue/level_delete.html",
        {"scale": scale, "level": level, "refusal": refusal},
        status=422 if refusal else 200,
    )


urlpatterns: list[URLPattern] = [
    path("groups/", group_list, name="group-list"),
    path("groups/new/", group_create, name="group-create"),
    path("groups/<int:group_id>/edit/", group_edit, name="group-edit"),
    path("groups/<int:group_id>/delete/", group_delete, name="group-delete"),
    path("scales/", scale_list, name="scale-list"),
    path("scales/new/", scale_create, name="scale-create"),
    path("scales/<int:scale_id>/edit/", scale_edit, name="scale-edit"),
    path("scales/<int:scale_id>/delete/", scale_delete, name="scale-delete"),
    path("scales/<int:scale_id>/levels/new/", level_add, name="level-add"),
    path("scales/<int:scale_id>/levels/<int:level_id>/edit/", level_edit, name="level-edit"),
    path("scales/<int:scale_id>/levels/<int:level_id>/delete/", level_delete, name="level-delete"),
]
