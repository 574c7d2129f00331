"""View decorators: log-in, current organisation and the role-level permission, in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

M = TypeVar("M", bound=Model)
ViewFunc = Callable[..., HttpResponse]


def requires(perm: str) -> Callable[[ViewFunc], ViewFunc]:
    """Let the request through only for a logged-in member of an organisation holding `perm`.

    Object-level checks follow in the view with `get_allowed`. The permission is kept on the view
    (`required_perm`) so the URL permission test can check every URL against the table.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = request.access  # type: ignore[attr-defined]
            if access.organisation is None:
                return render(request, "core/no_organisation.html", status=403)
            if not request.user.has_perm(perm):
                raise PermissionDenied
            request.organisation = access.organisation  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(view: ViewFunc) -> ViewFunc:
    """Mark a view that anyone may open (log-in, language choice)."""
    view.required_perm = None  # type: ignore[attr-defined]
    return view


def get_allowed(request: HttpRequest, queryset: QuerySet[M], perm: str, **lookup: Any) -> M:
    """The object of the current organisation matching `lookup`, if the user holds `perm` on it.

    Another organisation's object is a 404, as if it did not exist; one out of scope is a 403.
    """
    access = request.access  # type: ignore[attr-defined]
    try:
        obj = queryset.get(organisation_id=access.organisation_id, **lookup)
    except ObjectDoesNotExist as missing:
        raise Http404 from missing
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
