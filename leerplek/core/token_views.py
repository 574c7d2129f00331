"""Personal API tokens: list, create, revoke (see docs/api.md).

A token acts for its owner in the organisation it was made in, so each user sees and revokes only
his own tokens of the current organisation; anyone else's is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from leerplek.core import services
from leerplek.core.decorators import requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.models import ApiToken
from leerplek.core.token_forms import TokenForm


def _own_tokens(request: OrganisationHttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=request.user, organisation=request.organisation)


@require_GET
@requires("core.manage_tokens")
def token_list(request: OrganisationHttpRequest) -> HttpResponse:
    tokens = _own_tokens(request).order_by("-created_at", "-pk")
    return render(request, "core/tokens.html", {"tokens": tokens})


# The answer that shows the secret must never be cached (not by the browser, not by a proxy).
@never_cache
@require_http_methods(["GET", "POST"])
@requires("core.manage_tokens")
def token_create(request: OrganisationHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            token, secret = services.token_create(
                user=request.user,
                organisation=request.organisation,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown in this answer only: Leerplek keeps just its hash and cannot show it again.
            return render(request, "core/tokens_created.html", {"token": token, "secret": secret})
    status = 422 if form.errors else 200
    return render(request, "core/tokens_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@requires("core.manage_tokens")
def token_revoke(request: OrganisationHttpRequest, token_id: int) -> HttpResponse:
    """GET asks for confirmation (a page, so it works without JavaScript); POST revokes."""
    token = get_object_or_404(_own_tokens(request), pk=token_id)
    if request.method == "POST":
        services.token_revoke(token=token, by=request.user)
        messages.success(
            request,
            _("The token “%(name)s” is revoked. Programs that use it are refused from now on.")
            % {"name": token.name},
        )
        return redirect("core:token-list")
    if token.revoked_at is not None:
        messages.info(
            request, _("The token “%(name)s” was already revoked.") % {"name": token.name}
        )
        return redirect("core:token-list")
    return render(request, "core/tokens_revoke.html", {"token": token})


urlpatterns: list[URLPattern] = [
    path("profile/tokens/", token_list, name="token-list"),
    path("profile/tokens/new/", token_create, name="token-create"),
    path("profile/tokens/<int:token_id>/revoke/", token_revoke, name="token-revoke"),
]
