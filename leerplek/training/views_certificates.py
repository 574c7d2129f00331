"""Pages of the certificate register (TEST-03, TEST-07; see docs/training-tests-certificates.md).

- `training:certificate-list`: the register (internal attests and external certificates,
  diplomas and ervaringsbewijzen) a user may see, with filters and the "expires soon" list; an
  employee sees his own.
- `training:certificate-create`: HR registers an external certificate with its scan.
- `training:certificate-detail`, `-file` (the attest as a PDF with a QR code, or the scan),
  `-revoke`.
- `training:certificate-verify`: public, without log-in: only name, title, issue date, expiry
  date and valid, expired or revoked.
"""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerplek.competences.evidence import content_type_of
from leerplek.core.decorators import public, requires
from leerplek.core.formviews import form_page
from leerplek.core.http import OrganisationHttpRequest
from leerplek.training import selectors_certificates, services_certificates
from leerplek.training.forms_certificates import (
    CertificateFilterForm,
    CertificateForm,
    RevokeForm,
    VerifyForm,
)
from leerplek.training.forms_tests import put_errors
from leerplek.training.models import Certificate, CertificateKind

VIEW = "training.view_certificates"
REGISTER = "training.register_certificates"
PAGE_SIZE = 25
STYLESHEET = "training/certificates.css"


def _posted(request: HttpRequest) -> Any:
    """The posted data, also when empty (an empty POST is a refused form, not a blank one)."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _certificate(request: OrganisationHttpRequest, certificate_id: int) -> Certificate:
    """A certificate of this organisation (404 otherwise) that the user may see: within his
    viewing scope, or his own."""
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "employee", "employee__unit", "test", "organisation", "recertification"
        ),
        organisation_id=request.organisation.pk,
        pk=certificate_id,
    )
    if not (
        request.user.has_perm(VIEW, certificate)
        or request.user.has_perm(VIEW, certificate.employee)
    ):
        raise PermissionDenied
    return certificate


@requires(VIEW)
def certificate_list(request: OrganisationHttpRequest) -> HttpResponse:
    """The register with its filters, and what expires within CERTIFICATE_WARNING_DAYS."""
    form = CertificateFilterForm(request.GET or None, access=request.access)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    certificates = selectors_certificates.certificate_list(
        access=request.access,
        query=data.get("q") or "",
        kind=data.get("kind") or "",
        state=data.get("state") or "",
        unit_path=data["unit"].path if data.get("unit") else "",
        day=today,
    )
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/certificates/list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": selectors_certificates.rows_of(page.object_list, today),
            "expiring": selectors_certificates.expiring_soon(access=request.access, day=today),
            "warning_days": selectors_certificates.warning_days(),
            "filtered": any(data.values()),
            "can_register": request.user.has_perm(REGISTER),
            "stylesheet": STYLESHEET,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(REGISTER)
def certificate_create(request: OrganisationHttpRequest) -> HttpResponse:
    """Register an external certificate, diploma or ervaringsbewijs with its scan."""
    form = CertificateForm(_posted(request), _files(request), access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services_certificates.certificate_register(
                organisation=request.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(
                request,
                _("%(title)s of %(name)s was registered.")
                % {"title": certificate.title, "name": certificate.employee},
            )
            return redirect("training:certificate-detail", certificate_id=certificate.pk)
    return form_page(
        request,
        form,
        {
            "title": _("Register a certificate"),
            "back_url": reverse("training:certificate-list"),
            "intro": _(
                "External certificates, diplomas of initial vocational training and "
                "ervaringsbewijzen. Internal attests are issued when a test is passed."
            ),
            "submit": _("Register"),
        },
    )


def _verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return request.build_absolute_uri(
        reverse("training:certificate-verify", kwargs={"code": certificate.code})
    )


@requires(VIEW)
def certificate_detail(request: OrganisationHttpRequest, certificate_id: int) -> HttpResponse:
    certificate = _certificate(request, certificate_id)
    return render(
        request,
        "training/certificates/detail.html",
        {
            "certificate": certificate,
            "state": selectors_certificates.state_of(certificate),
            "verify_url": _verify_url(request, certificate),
            "can_revoke": certificate.revoked_at is None
            and request.user.has_perm(REGISTER, certificate),
            "has_file": certificate.kind == CertificateKind.ATTEST or bool(certificate.file),
            "stylesheet": STYLESHEET,
        },
    )


def qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data URI (drawn here; nothing is fetched)."""
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=4, border=0, dark="#111827")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def attest_pdf(request: HttpRequest, certificate: Certificate) -> bytes:
    """The attest as a PDF (WeasyPrint), with a QR code to the public verification page."""
    from leerplek.onboarding.pdf import _weasyprint

    url = _verify_url(request, certificate)
    html = render_to_string(
        "training/certificates/attest_pdf.html",
        {
            "certificate": certificate,
            "attempt": certificate.attempt,
            "verify_url": url,
            "qr": qr_data_uri(url),
        },
        request=None,
    )
    return bytes(_weasyprint().HTML(string=html).write_pdf())


@requires(VIEW)
def certificate_file(request: OrganisationHttpRequest, certificate_id: int) -> HttpResponse:
    """An internal attest as a PDF made now; an external one as the stored scan."""
    certificate = _certificate(request, certificate_id)
    if certificate.kind == CertificateKind.ATTEST and not certificate.file:
        response = HttpResponse(attest_pdf(request, certificate), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="attest-{certificate.code}.pdf"'
        return response
    if not certificate.file:
        raise Http404
    try:
        handle = certificate.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    download = FileResponse(
        handle,
        content_type=content_type_of(certificate.file.name),
        filename=certificate.file_name or "certificate",
    )
    download["X-Content-Type-Options"] = "nosniff"
    download["Cache-Control"] = "private, no-store"
    # A streamed file, not an HttpResponse subclass; Django's handler takes either.
    return download  # type: ignore[return-value]


@require_http_methods(["GET", "POST"])
@requires(REGISTER)
def certificate_revoke(request: OrganisationHttpRequest, certificate_id: int) -> HttpResponse:
    certificate = _certificate(request, certificate_id)
    if not request.user.has_perm(REGISTER, certificate):
        raise PermissionDenied
    back = reverse("training:certificate-detail", kwargs={"certificate_id": certificate.pk})
    form = RevokeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services_certificates.certificate_revoke(
                certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("The certificate was revoked."))
            return redirect(back)
    return form_page(
        request,
        form,
        {
            "title": _("Revoke %(title)s of %(name)s")
            % {"title": certificate.title, "name": certificate.employee},
            "back_url": back,
            "intro": _(
                "Anyone who checks the code then reads 'revoked'. This cannot be undone; "
                "register or issue a new certificate instead."
            ),
            "submit": _("Revoke"),
            "danger": True,
        },
    )


@public
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether a certificate is valid. Only the five facts, nothing else."""
    verification = selectors_certificates.public_verification(code)
    response = render(
        request,
        "training/certificates/verify.html",
        {"verification": verification, "code": code, "form": VerifyForm(initial={"code": code})},
        status=200 if verification is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


@public
def certificate_verify_form(request: HttpRequest) -> HttpResponse:
    """Public: type the code printed on an attest."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = "".join(form.cleaned_data["code"].split()).upper()
        return redirect("training:certificate-verify", code=code)
    response = render(
        request,
        "training/certificates/verify.html",
        {"verification": None, "code": "", "form": form},
    )
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Sections on shared pages ---------------------------------------------------------------------


def home_part(request: OrganisationHttpRequest) -> Any:
    """A card: certificates that expire soon, the user's own and (for HR and the line) those in
    his scope (two queries at most)."""
    own = (
        selectors_certificates.own_expiring(employee_id=request.access.employee_id)
        if request.access.employee_id is not None
        else []
    )
    scoped: list[Certificate] = []
    if request.user.has_perm(REGISTER) or request.access.has_role(
        *selectors_certificates.VIEW_ROLES
    ):
        scoped = [
            row
            for row in selectors_certificates.expiring_soon(access=request.access)
            if row.employee_id != request.access.employee_id
        ]
    if not own and not scoped:
        return None
    return (
        "training/certificates/home_part.html",
        {"own": own, "scoped": scoped, "today": timezone.localdate()},
    )


def mine_part(request: OrganisationHttpRequest, employee: Any) -> Any:
    """The learner's certificates, newest first, with their validity (one query)."""
    today = timezone.localdate()
    rows = selectors_certificates.rows_of(
        Certificate.objects.filter(employee_id=employee.pk)
        .select_related("test")
        .order_by("-issued_on", "-id")[:20],
        today,
    )
    if not rows:
        return None
    return ("training/certificates/mine_part.html", {"rows": rows})


urlpatterns: list[URLPattern] = [
    path("certificates/", certificate_list, name="certificate-list"),
    path("certificates/new/", certificate_create, name="certificate-create"),
    path("certificates/<int:certificate_id>/", certificate_detail, name="certificate-detail"),
    path("certificates/<int:certificate_id>/file/", certificate_file, name="certificate-file"),
    path(
        "certificates/<int:certificate_id>/revoke/", certificate_revoke, name="certificate-revoke"
    ),
    path("verify/", certificate_verify_form, name="certificate-verify-form"),
    path("verify/<str:code>/", certificate_verify, name="certificate-verify"),
]
