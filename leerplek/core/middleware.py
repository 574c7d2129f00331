"""Per-request access (organisation, roles, scope) and the user's interface language."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from leerplek.core.access import ANONYMOUS, load_access


class AccessMiddleware:
    """Attach `request.access` and `request.user.access` (three queries for a logged-in user,
    and one more on the first question about the people he guides: `Access.mentee_ids`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            access = load_access(user)
            user.access = access
        else:
            access = ANONYMOUS
        request.access = access  # type: ignore[attr-defined]
        return self.get_response(request)


class UserLanguageMiddleware:
    """A logged-in user sees the interface in the language saved on his account."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(request.user, "language", None)
        if request.user.is_authenticated and language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "nl")
        return response
