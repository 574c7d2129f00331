"""Small helpers for htmx requests and responses."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The output depends on HX-Request: caches must key on it."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def hx_redirect(response: HttpResponse, url: str) -> HttpResponse:
    response.headers["HX-Redirect"] = url
    return response
