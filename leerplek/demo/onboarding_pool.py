"""Demo data for the peter/meter pool (issue #5, MEN-02..06, MEN-13, MEN-14).

Voedingsbedrijf X keeps the brochure's criteria. In the pool: the demo peter/meter log-in
(trained, guiding the demo newcomer), the senior of the early shift (his refresher is due), a
late-shift packer who volunteered, and an early-shift packer taken in as an exception (fewer
than 10 years of experience). Waiting: a late-shift packer whose qualities are confirmed (HR
decides) and a night-shift volunteer whose qualities are not confirmed yet; one candidate was not
retained. Nobody in the night shift can take a newcomer, so the pool page warns.
Transportbedrijf X: the new driver's peter is in the pool, trained and refreshed.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.onboarding import services_pool
from leerplek.onboarding.models import (
    CriterionKind,
    EligibilityCriterion,
    GuideProfile,
    GuideTrainingKind,
)
from leerplek.people.models import Employee, User

DAY = datetime.timedelta(days=1)
TOPICS = (
    "Rol en taken van de peter/meter\n"
    "Hoe volwassenen leren\n"
    "Een taak voordoen en uitleggen (TWI: tonen, vertellen, laten doen, nakijken)\n"
    "Feedback geven\n"
    "Veiligheid en welzijn van de nieuwkomer"
)
REFRESHER_TOPICS = "Feedback geven\nDiversiteit en taal op de werkvloer"


def _acting(user: User, organisation_id: int) -> User:
    user.access = load_access(user, organisation_id)
    return user


class _Pool:
    def __init__(self, builder: Any) -> None:
        self.builder = builder
        self.state = builder.state
        self.organisation = builder.state.organisation
        self.today: datetime.date = builder.today
        self.admin = _acting(builder.admin, self.organisation.pk)
        manager = builder.state.people.get(Role.MANAGER)
        self.manager = (
            _acting(manager.user, self.organisation.pk)
            if manager is not None and manager.user is not None
            else None
        )

    def qualities(self) -> list[EligibilityCriterion]:
        return [
            criterion
            for criterion in EligibilityCriterion.objects.filter(
                organisation=self.organisation, is_active=True
            )
            if criterion.kind == CriterionKind.QUALITATIVE
        ]

    def confirmer(self, profile: GuideProfile) -> User:
        """The line manager when the person is in his units, else the administrator."""
        if (
            self.manager is not None
            and self.manager.has_perm("onboarding.confirm_qualities", profile)
            and profile.employee.user_id != self.manager.pk
        ):
            return self.manager
        return self.admin

    def candidate(
        self, person: Employee, *, volunteered: bool = False, motivation: str = ""
    ) -> GuideProfile:
        if volunteered:
            # The person told HR; HR records that he volunteered.
            return services_pool.guide_volunteer(
                employee=person, by=self.admin, motivation=motivation
            )
        by = (
            self.manager
            if self.manager and self.manager.has_perm("onboarding.propose_guide", person)
            else self.admin
        )
        return services_pool.guide_propose(employee=person, by=by, motivation=motivation)

    def confirm(
        self, profile: GuideProfile, notes: dict[str, tuple[bool, str]] | None = None
    ) -> None:
        # The criteria were created in the language of the demo: match on the translated name.
        named = {gettext(name): answer for name, answer in (notes or {}).items()}
        by = self.confirmer(profile)
        for criterion in self.qualities():
            is_met, note = named.get(criterion.name, (True, ""))
            services_pool.quality_confirm(
                profile=profile,
                criterion=criterion,
                is_met=is_met,
                note=note,
                by=by,
                on=self.today - 10 * DAY,
            )

    def approve(self, profile: GuideProfile, override: str = "") -> GuideProfile:
        try:
            return services_pool.guide_approve(profile=profile, by=self.admin)
        except ValidationError:
            # A required criterion is missed (the person's record decides): HR says why.
            return services_pool.guide_approve(
                profile=profile,
                by=self.admin,
                override_reason=override
                or "Ervaren in deze functie; de lijnverantwoordelijke staat voor hem/haar in.",
            )

    def profile(
        self,
        profile: GuideProfile,
        *,
        max_mentees: int = 2,
        load: tuple[str, int, int] | None = None,
    ) -> GuideProfile:
        unit, normal, reduced = load or ("", None, None)
        return services_pool.guide_profile_update(
            profile=profile,
            by=self.admin,
            max_mentees=max_mentees,
            shift=profile.shift,
            load_unit=unit,
            normal_load=normal,
            reduced_load=reduced,
        )

    def train(self, profile: GuideProfile, days_ago: int, *, refresher_days_ago: int = 0) -> None:
        services_pool.guide_training_record(
            profile=profile,
            by=self.admin,
            kind=GuideTrainingKind.INITIAL,
            completed_on=self.today - days_ago * DAY,
            topics=TOPICS,
            hours=Decimal("7.5"),
            provider="Alimento" if not self.builder.is_transport else "Mobilitas",
        )
        if refresher_days_ago:
            services_pool.guide_training_record(
                profile=profile,
                by=self.admin,
                kind=GuideTrainingKind.REFRESHER,
                completed_on=self.today - refresher_days_ago * DAY,
                topics=REFRESHER_TOPICS,
                hours=Decimal("3.5"),
                provider="Alimento" if not self.builder.is_transport else "Mobilitas",
            )

    def photo(self, profile: GuideProfile) -> None:
        services_pool.guide_photo_set(
            profile=profile, by=self.admin, photo=SimpleUploadedFile("peter.png", _avatar(profile))
        )

    def people(self, unit_key: str, job_code: str = "PRVP") -> list[Employee]:
        """Active people of a unit and function without a log-in, longest service first."""
        return list(
            Employee.objects.active(self.today)
            .filter(
                organisation=self.organisation,
                unit=self.state.units[unit_key],
                job=self.state.jobs[job_code],
                user__isnull=True,
            )
            .exclude(guide_profile__isnull=False)
            .order_by("hire_date", "employee_number")
        )


def _avatar(profile: GuideProfile) -> bytes:
    """A calm coloured square with the initials, as a PNG (the demo has no real photos)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (192, 192), (22, 101, 52))
    draw = ImageDraw.Draw(image)
    initials = f"{profile.employee.first_name[:1]}{profile.employee.last_name[:1]}"
    draw.text((96, 96), initials, fill=(255, 255, 255), anchor="mm", font_size=88)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build(builder: Any) -> None:
    """Add the pool of both demo organisations."""
    pool = _Pool(builder)
    services_pool.criteria_create_defaults(organisation=pool.organisation, by=pool.admin)
    if builder.is_transport:
        _transport(pool)
    else:
        _food(pool)


def _food(pool: _Pool) -> None:
    # The demo peter/meter log-in already guides the demo newcomer: he is in the pool, trained.
    mentor = pool.state.people[Role.MENTOR]
    member = pool.candidate(mentor, motivation="Heeft al drie nieuwkomers ingewerkt.")
    pool.confirm(member)
    member = pool.approve(member)
    pool.profile(member, load=("kookbeurten", 8, 6))
    pool.train(member, 420)
    pool.photo(member)

    # The senior of the early shift (the newcomer's backup): trained long ago, refresher due.
    early = pool.people("verp-vroeg")
    senior = pool.candidate(early[0], motivation="De meest ervaren inpakker van de vroege ploeg.")
    pool.confirm(senior)
    senior = pool.approve(senior)
    pool.profile(senior, max_mentees=2, load=("lijnen", 6, 4))
    pool.train(senior, 4 * 365 + 40)

    # An exception: fewer than 10 years of experience, but the one who speaks Turkish.
    junior = next(
        p for p in early if p.experience_years < 10 and p.hire_date < pool.today - 730 * DAY
    )
    exception = pool.candidate(
        junior, motivation="Spreekt Turks en Nederlands; de nieuwe inpakkers vragen hem al raad."
    )
    pool.confirm(exception)
    exception = pool.approve(
        exception,
        override="Minder dan 10 jaar ervaring en net geen 5 jaar in dienst, maar hij "
        "begeleidt de anderstalige nieuwkomers van de vroege ploeg het best; volgt de "
        "peteropleiding in het voorjaar.",
    )
    pool.profile(exception, load=("lijnen", 6, 5))

    # The late shift: a volunteer in the pool, and a proposed colleague waiting for HR.
    late = pool.people("verp-laat")
    volunteer = pool.candidate(
        late[0], volunteered=True, motivation="Ik leg graag uit en ken alle formaatwissels."
    )
    pool.confirm(volunteer)
    volunteer = pool.approve(volunteer)
    pool.profile(volunteer, load=("lijnen", 6, 4))
    pool.train(volunteer, 60)
    waiting = next(p for p in late[1:] if p.experience_years >= 10)
    proposed = pool.candidate(
        waiting, motivation="Rustig, nauwkeurig en geduldig met nieuwe mensen."
    )
    pool.confirm(proposed, {"Deployability": (False, "Late ploeg is krap bezet tot de zomer.")})

    # The night shift: a volunteer whose qualities are not confirmed yet, and one not retained.
    night = pool.people("verp-nacht")
    pool.candidate(
        night[0], volunteered=True, motivation="Ik wil de nieuwe nachtploegers graag opvangen."
    )
    declined = pool.candidate(next(p for p in night[1:] if p.experience_years < 10))
    pool.confirm(
        declined, {"Patience": (False, "Neemt het werk over in plaats van uit te leggen.")}
    )
    services_pool.guide_decline(
        profile=declined,
        by=pool.admin,
        reason="Eerst zelf de nieuwe lijn leren; over een jaar opnieuw bekijken.",
    )


def _transport(pool: _Pool) -> None:
    # The new driver's peter (see builder._new_driver): trained and refreshed.
    driver = Employee.objects.get(organisation=pool.organisation, employee_number="TX9001")
    peter = (
        Employee.objects.filter(guiding__learner=driver, guiding__is_backup=False)
        .select_related("unit")
        .first()
    )
    if peter is None:
        return
    profile = pool.candidate(peter, motivation="Rijdt de eerste ritten mee met nieuwe chauffeurs.")
    pool.confirm(profile)
    profile = pool.approve(profile)
    pool.profile(profile, load=("ritten per dag", 5, 3))
    pool.train(profile, 5 * 365, refresher_days_ago=200)
