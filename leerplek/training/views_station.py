"""At the workstation (X-06; see docs/training.md, "At the workstation").

- A QR code per workstation (`training:workstation-code`, a sheet to print) and per instruction
  (`training:instruction-code`); each is an SVG made with segno.
- Scanning a workstation's code opens `training:station`: its instructions, one tap each. A code
  whose workstation was removed answers 410 with a clear message.
- `training:instruction-read` is the phone-first reader: the instruction in the worker's
  language (Dutch where a text is not translated, marked), photos large, right to left where the
  language is; `?step=N` shows one step per screen. A holder asked to read a new version confirms
  it there.
"""

from __future__ import annotations

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse

from leerplek.core.decorators import requires
from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.models import Workstation
from leerplek.training import selectors_instructions as selectors
from leerplek.training.models import ReadRequest, StationCode, VersionStatus, WorkInstruction
from leerplek.training.services_instructions import station_code_for
from leerplek.training.views_instructions import _instruction, _person, sees_drafts


def qr_svg(url: str) -> str:
    """An SVG QR code for `url` (error correction M: survives a scratch on the shop floor)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False)
    return buffer.getvalue().decode()


def _svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@requires("training.print_codes")
def workstation_code(request: OrganisationHttpRequest, workstation_id: int) -> HttpResponse:
    """The sheet to stick at a workstation: its name and a large QR code."""
    workstation = get_object_or_404(
        Workstation, organisation_id=request.access.organisation_id, pk=workstation_id
    )
    code = station_code_for(workstation)
    url = request.build_absolute_uri(reverse("training:station", args=[code.token]))
    return render(
        request,
        "training/station/code_sheet.html",
        {
            "title": workstation.name,
            "subtitle": workstation.code,
            "svg": qr_svg(url),
            "url": url,
            "instructions": selectors.station_instructions(code),
        },
    )


@requires("training.print_codes")
def instruction_code(request: OrganisationHttpRequest, instruction_id: int) -> HttpResponse:
    """The QR code of one instruction, as an SVG file to put on a printed fiche."""
    instruction = _instruction(request, instruction_id)
    url = request.build_absolute_uri(reverse("training:instruction-scan", args=[instruction.token]))
    return _svg_response(qr_svg(url))


@requires("training.view_instructions")
def station(request: OrganisationHttpRequest, station_token: str) -> HttpResponse:
    code = StationCode.objects.filter(
        token=station_token, organisation_id=request.organisation.pk
    ).first()
    if code is None:
        raise Http404
    if code.workstation_id is None:
        return render(request, "training/station/removed.html", {"code": code}, status=410)
    versions = selectors.station_instructions(code)
    if len(versions) == 1:
        return redirect("training:instruction-read", instruction_id=versions[0].instruction_id)
    return render(
        request,
        "training/station/station.html",
        {"code": code, "versions": versions},
    )


@requires("training.view_instructions")
def instruction_scan(request: OrganisationHttpRequest, instruction_token: str) -> HttpResponse:
    instruction = WorkInstruction.objects.filter(
        token=instruction_token, organisation_id=request.organisation.pk
    ).first()
    if instruction is None:
        raise Http404
    return redirect("training:instruction-read", instruction_id=instruction.pk)


@requires("training.view_instructions")
def instruction_read(request: OrganisationHttpRequest, instruction_id: int) -> HttpResponse:
    instruction = _instruction(request, instruction_id)
    version = instruction.versions.filter(status=VersionStatus.APPROVED).first()
    if version is None and sees_drafts(request):
        version = instruction.versions.order_by("-number").first()
    person = _person(request)
    offered = selectors.offered_languages(request.organisation.pk)
    language = selectors.reader_language(person, offered, request.GET.get("lang", ""))
    reading = (
        selectors.reading(version=version, language=language, offered=offered)
        if version is not None
        else None
    )
    step_param = request.GET.get("step", "")
    one_step = None
    if reading is not None and step_param.isdigit() and reading.steps:
        number = min(max(int(step_param), 1), len(reading.steps))
        one_step = reading.steps[number - 1]
    read_request = (
        ReadRequest.objects.filter(
            version=version, employee_id=person.pk, confirmed_at__isnull=True
        ).first()
        if person is not None and version is not None
        else None
    )
    return render(
        request,
        "training/station/read.html",
        {
            "instruction": instruction,
            "reading": reading,
            "one_step": one_step,
            "one_steps": [one_step] if one_step else None,
            "read_request": read_request,
        },
    )


urlpatterns: list[URLPattern] = [
    path("s/<uuid:station_token>/", station, name="station"),
    path("i/<uuid:instruction_token>/", instruction_scan, name="instruction-scan"),
    path("instructions/<int:instruction_id>/read/", instruction_read, name="instruction-read"),
    path("instructions/<int:instruction_id>/code.svg", instruction_code, name="instruction-code"),
    path("workstations/<int:workstation_id>/code/", workstation_code, name="workstation-code"),
]
