"""Home, log-in, language, organisation switch, profile with own-data export, audit log."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leerplek.competences.gap_selectors import team_summary
from leerplek.core import selectors, services
from leerplek.core.decorators import public, requires
from leerplek.core.forms_account import AuditFilterForm, LoginForm
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.roles import Role
from leerplek.core.xlsx import workbook_response
from leerplek.onboarding import parts as onboarding_parts
from leerplek.onboarding.selectors import mentee_onboardings
from leerplek.people.models import Language
from leerplek.people.selectors import home_counts
from leerplek.registration import parts as registration_parts
from leerplek.training import parts as training_parts


@requires("core.view_home")
def home(request: OrganisationHttpRequest) -> HttpResponse:
    access = request.access
    roles = access.roles
    return render(
        request,
        "core/home.html",
        {
            "roles": sorted(roles, key=lambda role: list(Role).index(role)),
            "counts": home_counts(access=access),
            "is_hr": access.has_role(Role.HR, Role.ADMIN),
            "is_manager": Role.MANAGER in roles,
            "is_guide": access.has_role(Role.MENTOR, Role.COACH, Role.INSTRUCTOR),
            "is_prevention": Role.PREVENTION_ADVISER in roles,
            "is_knowledge": Role.KNOWLEDGE_MANAGER in roles,
            "is_consultation": Role.CONSULTATION in roles,
            "own_employee_id": access.employee_id,
            "team": team_summary(access=access) if Role.MANAGER in roles else None,
            "mentee_onboardings": mentee_onboardings(access=access),
            "onboarding_parts": onboarding_parts.home_parts(request),
            "training_parts": training_parts.home_parts(request),
            "registration_parts": registration_parts.home_parts(request),
        },
    )


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login_view = public(LoginView.as_view())  # type: ignore[arg-type]  # class-based view
logout_view = public(auth_views.LogoutView.as_view())  # type: ignore[arg-type]  # class-based view


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; kept on the account of a logged-in user, else in a cookie."""
    language = request.POST.get("language", "")
    if language not in Language.values:
        messages.error(request, _("Choose Dutch, French or English."))
        return HttpResponseRedirect(_safe_next(request))
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    translation.activate(language)
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
    return response


@require_POST
@requires("core.view_home")
def switch_organisation(request: OrganisationHttpRequest) -> HttpResponse:
    try:
        organisation = services.user_switch_organisation(
            user=request.user,
            access=request.access,
            organisation_id=int(request.POST.get("organisation", "0") or 0),
        )
    except (ValueError, ValidationError):
        messages.error(request, _("You do not belong to that organisation."))
        return redirect("core:home")
    messages.success(request, _("You now work in %(name)s.") % {"name": organisation.name})
    return redirect("core:home")


@requires("core.view_profile")
def profile(request: OrganisationHttpRequest) -> HttpResponse:
    return render(
        request,
        "core/profile.html",
        {
            "profile_user": request.user,
            "roles": selectors.roles_of(access=request.access),
            "can_export": request.user.has_perm("core.export_own_data"),
            "languages": Language.choices,
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user)  # type: ignore[arg-type]
        messages.success(self.request, _("Your password was changed."))
        return response


password_change = requires("core.view_profile")(PasswordChangeView.as_view())  # type: ignore[arg-type]


@require_GET
@requires("core.export_own_data")
def export_own_data(request: OrganisationHttpRequest) -> HttpResponse:
    """The person's own data (GDPR access), as JSON or XLSX."""
    data = selectors.own_data(access=request.access)
    stamp = data["exported_at"][:10]
    if request.GET.get("format") == "xlsx":
        return workbook_response(selectors.own_data_sheets(data), f"leerplek-my-data-{stamp}.xlsx")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="leerplek-my-data-{stamp}.json"'
    return response


@requires("core.view_audit")
def audit_list(request: OrganisationHttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_list(organisation=request.organisation, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page_obj": page})


urlpatterns = [
    path("", home, name="home"),
    path("language/", set_language, name="language"),
    path("organisation/switch/", switch_organisation, name="switch-organisation"),
    path("profile/", profile, name="profile"),
    path("profile/my-data/", export_own_data, name="export-own-data"),
    path("profile/password/", password_change, name="password-change"),
    path("audit/", audit_list, name="audit-list"),
]
