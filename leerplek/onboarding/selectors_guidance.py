"""Reads for the guidance pages, each in a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from leerplek.core.access import Access
from leerplek.core.permissions import PERMISSIONS
from leerplek.onboarding.models import (
    GUIDANCE_FORMS,
    Guidance,
    GuidanceKind,
    GuidanceStatus,
    InstructorSelection,
    MentorProgramme,
)
from leerplek.people.models import Employee, Organisation

GUIDANCE_RELATED = ("guide", "guide__unit", "learner", "learner__unit", "programme")
MANAGE_ROLES = PERMISSIONS["onboarding.manage_guidance"].roles
SELECT_ROLES = PERMISSIONS["onboarding.select_instructors"].roles

KIND_LABELS = GUIDANCE_FORMS

# The states a list can show.
OPEN, CLOSED = "open", "closed"


def _open(today: datetime.date) -> Q:
    """Requested, or active and not ended before today."""
    return Q(status=GuidanceStatus.REQUESTED, ends_on__isnull=True) | (
        Q(status=GuidanceStatus.ACTIVE) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


def _active(today: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": GuidanceStatus.ACTIVE}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})
    )


def guidances_visible_to(access: Access) -> Q:
    """A filter mirroring `onboarding.manage_guidance`: the learner is in the user's units."""
    if not access.has_role(*MANAGE_ROLES):
        return Q(pk__in=[])
    return access.employee_scope_q(MANAGE_ROLES, prefix="learner__")


def guidance_list(*, access: Access, kind: str = "", state: str = OPEN) -> QuerySet[Guidance]:
    """Relationships whose learner is in the user's units, open ones by default (one query per
    page)."""
    today = timezone.localdate()
    rows = Guidance.objects.filter(guidances_visible_to(access))
    if kind:
        rows = rows.filter(kind=kind)
    if state == OPEN:
        rows = rows.filter(_open(today))
    elif state == CLOSED:
        rows = rows.exclude(_open(today))
    return rows.select_related(*GUIDANCE_RELATED).order_by(
        "learner__last_name", "learner__first_name", "kind", "is_backup", "-starts_on", "id"
    )


def guidance_detail(*, guidance: Guidance) -> list[Guidance]:
    """The learner's other relationships of the same kind, newest first: the history (one
    query)."""
    return list(
        Guidance.objects.filter(learner_id=guidance.learner_id, kind=guidance.kind)
        .exclude(pk=guidance.pk)
        .select_related("guide")
        .order_by("-starts_on", "-id")
    )


# --- Caseload (MEN-09) --------------------------------------------------------------------------


@dataclass
class GuideLoad:
    """One guide's current learners by kind, and the coaching requests waiting for him."""

    guide: Employee
    counts: dict[str, int]
    requests: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(label, count) per form of guidance, in the order of the table's columns."""
        return [
            (str(KIND_LABELS[value]), self.counts.get(value, 0)) for value in GuidanceKind.values
        ]


@dataclass
class KindRatio:
    kind: str
    label: str
    guides: int
    learners: int

    @property
    def ratio(self) -> float:
        return round(self.learners / self.guides, 1) if self.guides else 0.0


@dataclass
class Caseload:
    mine: list[Guidance]
    loads: list[GuideLoad] = field(default_factory=list)
    requests: list[Guidance] = field(default_factory=list)
    sees_others: bool = False

    @property
    def my_requests(self) -> list[Guidance]:
        return [g for g in self.mine if g.status == GuidanceStatus.REQUESTED]

    @property
    def my_active(self) -> list[Guidance]:
        return [g for g in self.mine if g.status == GuidanceStatus.ACTIVE]

    @property
    def ratios(self) -> list[KindRatio]:
        rows = []
        for value, label in KIND_LABELS.items():
            guides = sum(1 for load in self.loads if load.counts.get(value))
            learners = sum(load.counts.get(value, 0) for load in self.loads)
            rows.append(KindRatio(value, str(label), guides, learners))
        return rows


def caseload(*, access: Access) -> Caseload:
    """The people the user guides (one query) and, for HR and line managers, every guide's load
    in their units with the open coaching requests (two more queries)."""
    today = timezone.localdate()
    mine: list[Guidance] = []
    if access.employee_id is not None:
        mine = list(
            Guidance.objects.filter(_open(today), guide_id=access.employee_id)
            .select_related(*GUIDANCE_RELATED)
            .order_by("status", "kind", "planned_end", "learner__last_name", "id")
        )
    result = Caseload(mine=mine)
    if not access.has_role(*MANAGE_ROLES):
        return result
    result.sees_others = True
    scope = guidances_visible_to(access)
    in_scope = Guidance.objects.filter(scope)
    learner_scope = access.employee_scope_q(MANAGE_ROLES, prefix="guiding__learner__")
    annotations = {
        f"n_{value}": Count(
            "guiding",
            filter=_active(today, "guiding__")
            & Q(guiding__kind=value, guiding__is_backup=False)
            & learner_scope,
        )
        for value in GuidanceKind.values
    }
    guides = (
        Employee.objects.filter(
            Exists(in_scope.filter(_open(today), guide_id=OuterRef("pk"), is_backup=False)),
            organisation=access.organisation,
        )
        .annotate(
            **annotations,
            n_requests=Count(
                "guiding",
                filter=Q(guiding__status=GuidanceStatus.REQUESTED, guiding__ends_on__isnull=True)
                & learner_scope,
            ),
        )
        .select_related("unit")
        .order_by("last_name", "first_name", "id")
    )
    result.loads = [
        GuideLoad(
            guide=person,
            counts={value: getattr(person, f"n_{value}") for value in GuidanceKind.values},
            requests=person.n_requests,  # type: ignore[attr-defined]
        )
        for person in guides
    ]
    result.requests = list(
        in_scope.filter(status=GuidanceStatus.REQUESTED, ends_on__isnull=True)
        .select_related(*GUIDANCE_RELATED)
        .order_by("created_at", "id")
    )
    return result


# --- Form choices -------------------------------------------------------------------------------


def guide_choices(
    *, organisation: Organisation, kind: str, exclude_id: int | None = None
) -> list[tuple[int, str]]:
    """Colleagues who work here, with how many people each guides now in `kind` (one query)."""
    today = timezone.localdate()
    people = (
        Employee.objects.filter(organisation_id=organisation.pk)
        .active(today)
        .annotate(load=Count("guiding", filter=_active(today, "guiding__") & Q(guiding__kind=kind)))
        .select_related("unit")
        .order_by("last_name", "first_name", "id")
    )
    if exclude_id is not None:
        people = people.exclude(pk=exclude_id)
    return [
        (
            person.pk,
            gettext("%(name)s (%(unit)s, guides %(count)s)")
            % {
                "name": person,
                "unit": person.unit.name if person.unit else "-",
                "count": person.load,  # type: ignore[attr-defined]
            },
        )
        for person in people
    ]


def learner_choices(*, access: Access) -> list[tuple[int, str]]:
    """People the user may start a guidance for: those of his units (one query)."""
    today = timezone.localdate()
    people = (
        Employee.objects.filter(access.employee_scope_q(MANAGE_ROLES))
        .active(today)
        .select_related("unit")
        .order_by("last_name", "first_name", "id")
    )
    return [
        (person.pk, f"{person} ({person.unit.name})" if person.unit else str(person))
        for person in people
    ]


def programme_choices(*, organisation: Organisation) -> list[tuple[int, str]]:
    return list(
        MentorProgramme.objects.filter(organisation=organisation, is_active=True)
        .order_by("name", "id")
        .values_list("pk", "name")
    )


# --- Shared pages -------------------------------------------------------------------------------


def guides_of(*, employee_id: int) -> list[Guidance]:
    """The person's coaches, mentors and instructors, and his open coaching requests (one
    query). Peters/meters are on the onboarding itself."""
    today = timezone.localdate()
    return list(
        Guidance.objects.filter(_open(today), learner_id=employee_id)
        .exclude(kind=GuidanceKind.MENTOR)
        .select_related("guide", "guide__unit")
        .order_by("kind", "-starts_on", "id")
    )


def requests_waiting(*, employee_id: int) -> list[Guidance]:
    """Coaching requests waiting for this coach's answer (one query)."""
    return list(
        Guidance.objects.filter(
            guide_id=employee_id, status=GuidanceStatus.REQUESTED, ends_on__isnull=True
        )
        .select_related("learner")
        .order_by("created_at", "id")
    )


# --- Mentor programmes and instructor selection -------------------------------------------------


def programme_list(*, organisation: Organisation) -> QuerySet[MentorProgramme]:
    """Programmes with their number of current relationships (one query)."""
    today = timezone.localdate()
    return (
        MentorProgramme.objects.filter(organisation=organisation)
        .annotate(current_count=Count("guidances", filter=_active(today, "guidances__")))
        .select_related("sponsor")
        .order_by("-is_active", "name", "id")
    )


def programme_guidances(*, programme: MentorProgramme) -> list[Guidance]:
    return list(
        programme.guidances.select_related(*GUIDANCE_RELATED).order_by("status", "-starts_on", "id")
    )


def selection_list(*, access: Access) -> QuerySet[InstructorSelection]:
    """Selection records of candidates in the user's units, pending first (one query)."""
    return (
        InstructorSelection.objects.filter(
            access.employee_scope_q(SELECT_ROLES, prefix="candidate__")
        )
        .select_related("candidate", "candidate__unit", "workstation", "competence")
        .order_by(F("decided_on").desc(nulls_first=True), "-created_at", "-id")
    )
