"""Organisations, their units, jobs (functies), workstations, people and user accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from leerplek.core.access import Access


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class AccountManager(UserManager["User"]):
    """Accounts log in with their email address; there is no separate user name."""

    def _create_user_object(
        self, username: str | None, email: str | None, password: str | None, **extra: Any
    ) -> User:
        email = self.normalize_email(email or username or "").lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]  # email replaces the username argument
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]  # email replaces the username argument
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A log-in. The person behind it, per organisation, is an `Employee`."""

    username = None  # type: ignore[assignment]  # email is the identifier
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("interface language"), max_length=5, choices=Language.choices, default=Language.DUTCH
    )
    current_organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("current organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[AccountManager] = AccountManager()

    # Set per request by core.middleware.AccessMiddleware (or the API's token auth).
    access: Access

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Organisation(models.Model):
    """A tenant: an employer with its own units, people and records."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    enterprise_number = models.CharField(_("enterprise number"), max_length=20, blank=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    joint_committee = models.CharField(
        _("joint committee (PC/PSC)"),
        max_length=20,
        blank=True,
        help_text=_("The paritair comité number, e.g. 118 for the food industry."),
    )
    training_fund = models.CharField(_("sector training fund"), max_length=200, blank=True)
    training_fund_agreements = models.TextField(_("sector agreements on training"), blank=True)
    is_sme = models.BooleanField(_("SME"), default=True)
    financial_year_end = models.CharField(
        _("financial year end (MM-DD)"), max_length=5, default="12-31"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    SITE = "site", _("Site")
    DEPARTMENT = "department", _("Department")
    TEAM = "team", _("Team")
    SHIFT = "shift", pgettext_lazy("unit kind", "Shift")
    CELL = "cell", _("Cell")
    LINE = "line", _("Production line")
    ZONE = "zone", _("Zone")


class OrgUnit(models.Model):
    """A unit in the organisation tree.

    `path` is the materialised path of primary keys ("/1/4/9/"), so a subtree is one
    `path__startswith` filter; services keep it right when a unit moves.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    leader = models.ForeignKey(
        "people.Employee",
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_units",
    )
    description = models.TextField(_("description"), blank=True)
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="people_unit_unique_name_per_parent"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="people_unit_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaskKind(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    PREPARATORY = "preparatory", _("Preparatory")
    SUPPORTING = "supporting", _("Supporting")


class Job(models.Model):
    """A function (functie) in the function catalogue."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="jobs"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("job description"), blank=True)
    classification = models.CharField(_("classification"), max_length=100, blank=True)
    classification_committee = models.CharField(
        _("classification committee"), max_length=200, blank=True
    )
    classification_date = models.DateField(_("classification date"), null=True, blank=True)
    months_to_independence = models.PositiveSmallIntegerField(
        _("target months to independence"), default=6
    )
    tandem_days = models.PositiveSmallIntegerField(_("default tandem period (days)"), default=0)
    review_interval_days = models.PositiveSmallIntegerField(
        _("default review interval (days)"), default=30
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("job", "function")
        verbose_name_plural = pgettext_lazy("job", "functions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="people_job_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class JobTask(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("kind of task"), max_length=20, choices=TaskKind.choices)
    description = models.CharField(_("task"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class Workstation(models.Model):
    """A workstation (werkpost) or machine under a unit."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="workstations",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="workstations"
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    is_machine = models.BooleanField(_("machine"), default=False)
    description = models.TextField(_("workstation and surroundings"), blank=True)
    difficulty_rank = models.PositiveSmallIntegerField(
        _("difficulty rank"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 is the easiest; newcomers start at the lowest ranks."),
    )

    class Meta:
        verbose_name = _("workstation")
        verbose_name_plural = _("workstations")
        ordering = ["difficulty_rank", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="people_workstation_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(difficulty_rank__gte=1) & Q(difficulty_rank__lte=10),
                name="people_workstation_rank_1_10",
                violation_error_message=_("The difficulty rank runs from 1 to 10."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersonType(models.TextChoices):
    EMPLOYEE = "employee", _("Own employee")
    AGENCY = "agency", _("Temporary agency worker")
    APPRENTICE = "apprentice", _("Apprentice")
    VDAB_TRAINEE = "vdab_trainee", _("VDAB trainee")
    INTERN = "intern", _("Intern")
    IBO = "ibo", _("IBO trainee")
    JOB_SEEKER = "job_seeker", _("Job seeker")
    EXTERNAL_TRAINER = "external_trainer", _("External trainer")


class Gender(models.TextChoices):
    MALE = "m", _("Man")
    FEMALE = "f", _("Woman")
    OTHER = "x", _("Other or not stated")


class DutchLevel(models.TextChoices):
    NONE = "none", _("No Dutch")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("Native speaker")


class EducationLevel(models.TextChoices):
    PRIMARY = "primary", _("Primary education")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
    HIGHER_SECONDARY = "higher_secondary", _("Higher secondary")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master or higher")
    UNKNOWN = "unknown", _("Unknown")


class ExitReason(models.TextChoices):
    RESIGNATION = "resignation", _("Resignation")
    DISMISSAL = "dismissal", _("Dismissal")
    RETIREMENT = "retirement", _("Retirement")
    END_OF_CONTRACT = "end_of_contract", _("End of contract")
    OTHER = "other", _("Other")


class EmployeeQuerySet(models.QuerySet["Employee"]):
    def active(self, on: Any = None) -> EmployeeQuerySet:
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(exit_date__isnull=True) | Q(exit_date__gte=day))

    def in_subtree(self, unit: OrgUnit) -> EmployeeQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def visible_to(self, access: Access) -> EmployeeQuerySet:
        """The people `access` may open, mirroring the rule `people.view_employee`."""
        return self.filter(access.employee_scope_q())


class Employee(models.Model):
    """A person in an organisation's people register (any person type)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="employees",
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    employee_number = models.CharField(_("personnel number"), max_length=40, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    person_type = models.CharField(
        _("person type"), max_length=20, choices=PersonType.choices, default=PersonType.EMPLOYEE
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    hire_date = models.DateField(_("hire date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )
    planned_exit_date = models.DateField(_("planned exit date"), null=True, blank=True)
    experience_years = models.DecimalField(
        _("years of occupational experience"), max_digits=4, decimal_places=1, default=0
    )
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("Language codes separated by commas, e.g. nl, fr, pl."),
    )
    dutch_level = models.CharField(
        _("Dutch proficiency"), max_length=10, choices=DutchLevel.choices, default=DutchLevel.NATIVE
    )
    education_level = models.CharField(
        _("education level"),
        max_length=20,
        choices=EducationLevel.choices,
        default=EducationLevel.UNKNOWN,
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    job = models.ForeignKey(
        Job,
        verbose_name=pgettext_lazy("job", "function"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
        help_text=_("The current function; its history is kept in the function assignments."),
    )
    workstation = models.ForeignKey(
        Workstation,
        verbose_name=_("workstation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    career_note = models.TextField(_("career perspective"), blank=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        indexes = [models.Index(fields=["organisation", "last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~Q(email=""),
                name="people_employee_unique_email",
                violation_error_message=_("Another person in this organisation has this email."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="people_employee_one_per_user",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=models.F("hire_date")),
                name="people_employee_exit_after_hire",
                violation_error_message=_("The exit date cannot be before the hire date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class AssignmentReason(models.TextChoices):
    HIRE = "hire", _("Hire")
    INTERNAL_MOVE = "internal_move", _("Internal move")
    REORGANISATION = "reorganisation", _("Reorganisation")
    PROMOTION = "promotion", _("Promotion")
    OTHER = "other", _("Other")


class JobAssignment(models.Model):
    """A dated period in which a person held a function (ORG-07)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("person")
    )
    job = models.ForeignKey(
        Job,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=pgettext_lazy("job", "function"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=AssignmentReason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("function assignment")
        verbose_name_plural = _("function assignments")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="people_assignment_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.job} ({self.start_date})"


class ImportKind(models.TextChoices):
    """What an import file holds. The values appear in URLs and file names."""

    UNITS = "units", _("Units")
    JOBS = "functions", pgettext_lazy("job", "Functions")
    PEOPLE = "people", _("People")
    COMPETENCES = "competences", _("Competence catalogue")
    MATRIX = "matrix", _("Skills matrix")


class ImportStatus(models.TextChoices):
    INVALID = "invalid", _("Has problems")
    READY = "ready", _("Ready to import")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded import file, from validation to the finished import (see docs/import.md).

    The parsed cells are kept in `data` between validation and confirmation and emptied once the
    import has run, so no copy of the personal data lingers here.
    """

    ACTIVE_STATUSES = (ImportStatus.QUEUED, ImportStatus.RUNNING)

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    created_by = models.ForeignKey(
        User,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind of data"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices)
    data = models.JSONField(default=dict, blank=True, editable=False)
    problems = models.JSONField(default=list, blank=True, editable=False)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    create_count = models.PositiveIntegerField(_("new"), default=0)
    update_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failure = models.TextField(_("reason of failure"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
