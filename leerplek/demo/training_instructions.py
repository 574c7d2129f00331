"""Demo story of the work instructions (OJT-06..08, OJT-13, X-06), through the services.

The sauce kitchen of Voedingsbedrijf X writes photo fiches for staff with little Dutch: three
instructions broken down the TWI way, each step with a (generated) photo, in Dutch and Polish,
one also in Arabic (right to left). The cooking instruction got a version 2 whose change the
people who hold it are asked to read; a worker signalled that a colleague does a step otherwise.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import Employee, User
from leerplek.training import services_instructions as services
from leerplek.training.models import InstructionHolder, InstructionVersion, WorkInstruction

# (code, workstation, title, [(step, [(kind, key point, reason)])], Polish title and steps)
STEP = tuple[str, list[tuple[str, str, str]]]
INSTRUCTIONS: list[tuple[str, str, str, list[STEP], dict[str, Any]]] = [
    (
        "WI-SK-KOOK",
        "SK-KK1",
        "Saus koken in kookketel 1",
        [
            (
                "Controleer of de ketel proper en droog is",
                [("quality", "Geen restjes van de vorige batch", "Allergenen mogen niet mengen")],
            ),
            (
                "Weeg de grondstoffen af volgens de receptkaart",
                [("quality", "Tarra eerst op nul", "Anders klopt het recept niet")],
            ),
            (
                "Zet de stoom open tot 85 °C",
                [
                    ("safety", "Handschoenen en gelaatsscherm aan", "Stoom en saus verbranden je"),
                    ("knack", "Open de klep in twee keer", "Zo slaat de ketel niet"),
                ],
            ),
            (
                "Voeg de grondstoffen toe met het roerwerk aan",
                [("safety", "Nooit met de hand in de ketel", "Het roerwerk grijpt alles")],
            ),
            (
                "Meet temperatuur en viscositeit",
                [
                    (
                        "quality",
                        "Noteer beide op de batchfiche",
                        "De kwaliteitsdienst volgt elke batch",
                    )
                ],
            ),
            (
                "Pomp de saus naar de vulmachine",
                [("safety", "Leiding eerst koppelen, dan pompen", "Anders spuit hete saus")],
            ),
        ],
        {
            "title": "Gotowanie sosu w kotle 1",
            "steps": [
                "Sprawdź, czy kocioł jest czysty i suchy",
                "Odważ surowce według karty receptury",
                "Otwórz parę do 85 °C",
                "Dodaj surowce przy włączonym mieszadle",
                "Zmierz temperaturę i lepkość",
                "Przepompuj sos do nalewarki",
            ],
        },
    ),
    (
        "WI-SK-CIP",
        "SK-CIP",
        "Kookketel reinigen met CIP",
        [
            (
                "Leg de ketel stil en vergrendel het roerwerk",
                [
                    (
                        "safety",
                        "Hangslot met je eigen naam",
                        "Niemand start de ketel terwijl jij reinigt",
                    )
                ],
            ),
            (
                "Koppel de CIP-leiding aan de ketel",
                [("quality", "Dichting nakijken", "Een lek laat loog ontsnappen")],
            ),
            (
                "Start programma 2: loog, spoelen, zuur, spoelen",
                [("safety", "Veiligheidsbril op", "Loog en zuur zijn bijtend")],
            ),
            (
                "Controleer het eindspoelwater met de pH-strip",
                [("quality", "pH tussen 6,5 en 7,5", "Resten reinigingsmiddel horen niet in saus")],
            ),
        ],
        {
            "title": "Mycie kotła systemem CIP",
            "steps": [
                "Zatrzymaj kocioł i zablokuj mieszadło",
                "Podłącz przewód CIP do kotła",
                "Uruchom program 2: ług, płukanie, kwas, płukanie",
                "Sprawdź wodę z ostatniego płukania paskiem pH",
            ],
        },
    ),
    (
        "WI-VP-VUL",
        "VP-VUL1",
        "Vulmachine omstellen naar een ander potformaat",
        [
            (
                "Stop de machine en druk de noodstop in",
                [("safety", "Wacht tot alles stilstaat", "Een vulkop die uitloopt klemt vingers")],
            ),
            (
                "Wissel de vulkop en de geleiders",
                [("knack", "Kleurcode van de geleiders volgen", "Dan past alles meteen")],
            ),
            (
                "Stel het vulgewicht in op het scherm",
                [
                    (
                        "quality",
                        "Eerste tien potten wegen",
                        "Te licht is een klacht, te zwaar verlies",
                    )
                ],
            ),
        ],
        {
            "title": "Przezbrojenie nalewarki na inny format słoika",
            "steps": [
                "Zatrzymaj maszynę i wciśnij wyłącznik awaryjny",
                "Wymień głowicę nalewającą i prowadnice",
                "Ustaw wagę napełniania na ekranie",
            ],
        },
    ),
]
ARABIC = {
    "title": "طهي الصلصة في الغلاية 1",
    "steps": [
        "تأكد من أن الغلاية نظيفة وجافة",
        "زن المواد الخام حسب بطاقة الوصفة",
        "افتح البخار حتى 85 درجة",
    ],
}
COLOURS = ["#f59e0b", "#ef4444", "#3b82f6", "#10b981", "#8b5cf6", "#ec4899"]


def photo(number: int, label: str) -> SimpleUploadedFile:
    """A generated photo for a step: a coloured scene with the step number (no real photos in
    the demo)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 420), "#e5e7eb")
    draw = ImageDraw.Draw(image)
    colour = COLOURS[number % len(COLOURS)]
    draw.rectangle((60, 150, 380, 380), fill="#9ca3af", outline="#374151", width=6)
    draw.ellipse((120, 60, 320, 200), fill=colour, outline="#374151", width=6)
    draw.rectangle((420, 220, 580, 380), fill=colour)
    draw.ellipse((470, 90, 600, 220), fill="#fde68a", outline="#92400e", width=4)
    draw.text((30, 20), f"{number}", fill="#111827", font_size=72)
    draw.text((30, 392), label[:60], fill="#111827", font_size=18)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"stap-{number}.png", buffer.getvalue(), "image/png")


def _acting(user: User, organisation_id: int) -> User:
    user.access = load_access(user, organisation_id)
    return user


def _user_of(person: Employee | None) -> User | None:
    return User.objects.filter(employees__pk=person.pk).first() if person else None


def _write(
    story: Any, author: User, row: tuple[str, str, str, list[STEP], dict[str, Any]]
) -> InstructionVersion:
    code, station, title, steps, polish = row
    organisation = story.state.organisation
    instruction = services.instruction_create(
        organisation=organisation,
        by=author,
        code=code,
        title=title,
        workstation=story.state.workstations.get(station),
    )
    version = instruction.versions.get()
    step_rows = []
    for number, (text, points) in enumerate(steps, start=1):
        step = services.step_add(
            version=version, by=author, text={"nl": text}, photo=photo(number, text)
        )
        step_rows.append(step)
        for kind, point, reason in points:
            services.key_point_add(
                step=step, by=author, kind=kind, text={"nl": point}, reason={"nl": reason}
            )
    texts: dict[str, str] = {"title": str(polish["title"])}
    texts.update(
        {f"step-{step.pk}": text for step, text in zip(step_rows, polish["steps"], strict=True)}
    )
    services.translation_save(version=version, by=author, language="pl", texts=texts)
    if code == "WI-SK-KOOK":
        arabic: dict[str, str] = {"title": str(ARABIC["title"])}
        arabic.update({f"step-{s.pk}": t for s, t in zip(step_rows, ARABIC["steps"], strict=False)})
        services.translation_save(version=version, by=author, language="ar", texts=arabic)
    return version


def build(story: Any) -> None:
    if story.is_transport:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _build(story)


def _build(story: Any) -> None:
    organisation = story.state.organisation
    people = story.state.people
    admin = _acting(story.admin, organisation.pk)
    hr = _acting(_user_of(people.get(Role.HR)) or story.admin, organisation.pk)
    author = _acting(_user_of(people.get(Role.INSTRUCTOR)) or story.admin, organisation.pk)
    services.language_add(organisation=organisation, by=admin, code="pl", name="Polski")
    services.language_add(
        organisation=organisation, by=admin, code="ar", name="العربية", is_rtl=True
    )
    versions = [_write(story, author, row) for row in INSTRUCTIONS]
    for version in versions:
        services.version_approve(version=version, by=hr if author != hr else admin)
    # The people of the sauce kitchen hold the cooking instruction.
    cooking = versions[0].instruction
    holders = list(
        Employee.objects.filter(
            organisation=organisation,
            exit_date__isnull=True,
            unit__in=[u for k, u in story.state.units.items() if "saus" in k.lower()]
            or list(story.state.units.values())[:1],
        )[:12]
    )
    InstructionHolder.objects.bulk_create(
        InstructionHolder(
            organisation=organisation,
            instruction=cooking,
            employee=person,
            version=versions[0],
            since=story.today,
        )
        for person in holders
    )
    # Version 2: the stoom is opened in two steps now; the holders are asked to read it.
    draft = services.instruction_version_draft(instruction=cooking, by=author)
    services.version_update(
        version=draft,
        by=author,
        title={"nl": "Saus koken in kookketel 1"},
        change_summary={
            "nl": "Stap 3: open de stoomklep in twee keer; de ketel sloeg bij in één keer openen."
        },
    )
    services.version_approve(version=draft, by=hr if author != hr else admin)
    worker = people.get(Role.EMPLOYEE)
    worker_user = _user_of(worker)
    if worker is not None and worker_user is not None:
        step = (
            WorkInstruction.objects.get(pk=cooking.pk).versions.get(number=2).steps.get(position=4)
        )
        services.signal_raise(
            instruction=cooking,
            by=_acting(worker_user, organisation.pk),
            raised_by=worker,
            description=(
                "In de nachtploeg voegt men eerst het water toe en zet men pas dan het roerwerk "
                "aan. Welke manier is de juiste?"
            ),
            step=step,
        )
