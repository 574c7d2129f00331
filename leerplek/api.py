"""The JSON API (django-ninja) under /api/v1/. Routers live in each app's `api.py`.

Every endpoint needs a personal token (`core/api_auth.py`). Errors share one shape, whatever
raised them (docs/api.md): `{"detail": "..."}`, and for bad input (422) a list naming each field:
`{"detail": [{"field": "email", "message": "...", "code": "duplicate_email"}]}`.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from leerplek.competences.api import router as competences_router
from leerplek.core.api_auth import ApiTokenAuth
from leerplek.onboarding.api import router as onboarding_router
from leerplek.people.api import router as people_router
from leerplek.registration.api import router as registration_router
from leerplek.training.api import router as training_router

# The interactive docs page would load Swagger UI from a CDN, which our CSP (and the rule that
# nothing downloads at run time) forbids; the schema itself is served at /api/v1/openapi.json.
api = NinjaAPI(
    title="Leerplek API",
    version="1",
    description=(
        "Units, functions, workstations and people of one organisation; its competences, "
        "requirements, assessments, skills matrix, gaps and knowledge at risk; onboarding "
        "templates, onboardings, guidance and progress reviews; training programmes, work "
        "instructions, learners' programmes and sign-offs, test attempts and certificates. "
        "See docs/api.md."
    ),
    urls_namespace="api",
    auth=ApiTokenAuth(),
    docs_url=None,
)
api.add_router("/", people_router)
api.add_router("/", competences_router)
api.add_router("/", onboarding_router)
api.add_router("/", training_router)
api.add_router("/", registration_router)

# Where ninja found a bad value; the rest of its `loc` is the field.
PARAMETER_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# The names of the view arguments that hold the input, which a client never sees.
INPUT_ARGUMENTS = {"payload", "filters", "ninja_pagination"}


def field_errors(error: DjangoValidationError) -> list[dict[str, Any]]:
    """One entry per message of a service's ValidationError, keyed by the field it names."""
    if hasattr(error, "error_dict"):
        pairs = [
            (None if field == NON_FIELD_ERRORS else field, item)
            for field, items in error.error_dict.items()
            for item in items
        ]
    else:
        pairs = [(None, item) for item in error.error_list]
    return [
        {"field": field, "message": next(iter(item)), "code": item.code or "invalid"}
        for field, item in pairs
    ]


def schema_field(loc: list[Any] | tuple[Any, ...]) -> str | None:
    """`("body", "payload", "tasks", 0, "kind")` → `"tasks.0.kind"`."""
    parts = list(loc)
    if parts and parts[0] in PARAMETER_SOURCES:
        parts = parts[1:]
    if parts and parts[0] in INPUT_ARGUMENTS:
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or None


@api.exception_handler(DjangoValidationError)
def service_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": field_errors(exc)}, status=422)


@api.exception_handler(SchemaValidationError)
def schema_refused(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    detail = [
        {
            "field": schema_field(error.get("loc", ())),
            "message": error.get("msg", ""),
            "code": error.get("type", "invalid"),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = gettext("Your role does not allow this.")
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": gettext("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = gettext(
        "Send a valid, unrevoked API token: Authorization: Bearer lp_… (see “API tokens”)."
    )
    response = api.create_response(request, {"detail": message}, status=401)
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals, e.g. a request body that is not JSON (400)."""
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
