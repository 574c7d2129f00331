"""Roles and access (ORG-06): who holds which role where, granting, revoking, log-ins for people.

HR sees the roles; only an administrator changes them. HR and administrators give a person of the
register a log-in, which carries no role beyond the person's own record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerplek.core import access_services
from leerplek.core.access_forms import AccountForm, RoleFilterForm, RoleGrantForm
from leerplek.core.decorators import get_allowed, requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.core.models import RoleGrant
from leerplek.people.models import Employee

PAGE_SIZE = 50


def _grant_message(grant: RoleGrant, *, granted: bool) -> str:
    names = {"user": grant.user, "role": grant.get_role_display()}
    if grant.unit is None:
        if granted:
            return _("%(user)s now holds the role %(role)s in the whole organisation.") % names
        return _("%(user)s no longer holds the role %(role)s in the whole organisation.") % names
    names["unit"] = grant.unit.name
    if granted:
        return _("%(user)s now holds the role %(role)s in %(unit)s and its sub-units.") % names
    return _("%(user)s no longer holds the role %(role)s in %(unit)s.") % names


@require_GET
@requires("core.view_roles")
def role_list(request: OrganisationHttpRequest) -> HttpResponse:
    form = RoleFilterForm(request.GET or None)
    role = form.cleaned_data["role"] if form.is_valid() else ""
    holders = access_services.role_holders(organisation=request.organisation, role=role or None)
    page = Paginator(holders, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "holder": holder,
            # The person link only for those whose record the viewer may open (no query).
            "can_open": holder.person is not None
            and request.user.has_perm("people.view_employee", holder.person),
        }
        for holder in page
    ]
    return render(
        request,
        "core/access_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "can_manage": request.user.has_perm("core.manage_roles"),
        },
    )


@require_http_methods(["GET", "POST"])
@requires("core.manage_roles")
def role_grant(request: OrganisationHttpRequest) -> HttpResponse:
    organisation = request.organisation
    initial: dict[str, Any] = {}
    if request.GET.get("email"):  # "Add a role" from a row of the list
        initial["email"] = request.GET["email"]
    form = RoleGrantForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisation=organisation,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            grant = access_services.role_grant(
                organisation=organisation,
                user=data["user"],
                role=data["role"],
                unit=data["unit"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _grant_message(grant, granted=True))
            return redirect("core:role-list")
    status = 422 if form.errors else 200
    return render(request, "core/access_grant.html", {"form": form}, status=status)


@require_POST
@requires("core.manage_roles")
def role_revoke(request: OrganisationHttpRequest, grant_id: int) -> HttpResponse:
    """The list's Revoke button posts here and gets a confirmation page (works without
    JavaScript); only its own form, which posts `confirm`, revokes. GET changes nothing: 405."""
    grant = get_allowed(
        request, RoleGrant.objects.select_related("user", "unit"), "core.manage_roles", pk=grant_id
    )
    if request.POST.get("confirm") != "yes":
        return render(request, "core/access_revoke.html", {"grant": grant})
    try:
        access_services.role_revoke(grant=grant, by=request.user)
    except ValidationError as error:
        return render(
            request,
            "core/access_revoke.html",
            {"grant": grant, "errors": error.messages},
            status=422,
        )
    messages.success(request, _grant_message(grant, granted=False))
    # Whoever revokes one of his own roles may have lost this list with it.
    return redirect("core:home" if grant.user_id == request.user.pk else "core:role-list")


# The answer that shows the one-time password must never be cached.
@never_cache
@require_http_methods(["GET", "POST"])
@requires("core.create_account")
def account_create(request: OrganisationHttpRequest, employee_id: int) -> HttpResponse:
    employee = get_allowed(
        request,
        Employee.objects.select_related("unit", "user"),
        "core.create_account",
        pk=employee_id,
    )
    if employee.user is not None:
        messages.info(
            request,
            _("%(name)s already has a log-in: %(email)s.")
            % {"name": employee, "email": employee.user.email},
        )
        return redirect("people:employee-detail", employee_id=employee.pk)
    form = AccountForm(
        request.POST if request.method == "POST" else None, initial={"email": employee.email}
    )
    if form.is_valid():
        try:
            user, password = access_services.account_create_for_employee(
                employee=employee,
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if password is None:
                messages.success(
                    request,
                    _(
                        "%(name)s is linked to the existing log-in %(email)s and logs in with "
                        "its own password."
                    )
                    % {"name": employee, "email": user.email},
                )
                return redirect("people:employee-detail", employee_id=employee.pk)
            # Shown in this answer only: Leerplek keeps just a hash of the password.
            return render(
                request,
                "core/access_account_created.html",
                {"employee": employee, "account": user, "password": password},
            )
    status = 422 if form.errors else 200
    return render(
        request,
        "core/access_account_form.html",
        {"form": form, "employee": employee},
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("access/roles/", role_list, name="role-list"),
    path("access/roles/grant/", role_grant, name="role-grant"),
    path("access/roles/<int:grant_id>/revoke/", role_revoke, name="role-revoke"),
    path("access/people/<int:employee_id>/log-in/", account_create, name="account-create"),
]
