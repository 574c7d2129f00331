"""Input shapes for the programme builder. Business rules live in services_programmes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import JSONField, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.competences.forms import LevelChoiceField, organisation_levels
from leerplek.competences.models import Competence, Level
from leerplek.core.forms import FastSelect
from leerplek.people.models import Job, JobTask, Organisation, User, Workstation
from leerplek.training.models import (
    InstructionVersion,
    Module,
    ModuleKind,
    Phase,
    Programme,
    ProgrammeVersion,
    WorkInstruction,
)
from leerplek.training.selectors_programmes import (
    library_status_choices,
    localised,
    module_choices,
)
from leerplek.training.services_programmes import (
    MAX_DURATION,
    MAX_GATE_DAYS,
    audience_choices,
    organisation_users,
)


def rows(count: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": count})


class ServiceForm(forms.Form):
    """A form whose service may name fields it does not have (e.g. "version"): those errors
    show above the form."""

    def add_error(self, field: str | None, error: Any) -> None:
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for key in [key for key in error.error_dict if key not in self.fields]:
                for message in error.error_dict.pop(key):
                    super().add_error(None, message)
            if not error.error_dict:
                return
        super().add_error(field, error)


class ProgrammeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    job = forms.ModelChoiceField(
        label=pgettext_lazy("job", "Function"),
        queryset=Job.objects.none(),
        required=False,
        empty_label=_("All functions"),
    )
    workstation = forms.ModelChoiceField(
        label=_("Workstation or machine"),
        queryset=Workstation.objects.none(),
        required=False,
        empty_label=_("All workstations"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    mine = forms.BooleanField(label=_("Only the ones I own or co-write"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        job = self.fields["job"]
        job.queryset = Job.objects.filter(organisation=organisation).order_by("name")  # type: ignore[attr-defined]
        station = self.fields["workstation"]
        station.queryset = Workstation.objects.filter(organisation=organisation).order_by(  # type: ignore[attr-defined]
            "name"
        )
        for name in ("job", "workstation", "status"):
            field = self.fields[name]
            field.widget = FastSelect(choices=field.widget.choices)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Current programmes")),
            *library_status_choices(),
        ]
        self.fields["status"].widget.choices = self.fields["status"].choices  # type: ignore[attr-defined]


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.job.name}: {obj.description}"


class ProgrammeForm(ServiceForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short and unique, e.g. 'HOP' or 'HEF-01'."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=rows(3))
    job = forms.ModelChoiceField(
        label=pgettext_lazy("job", "For the function"),
        queryset=Job.objects.none(),
        required=False,
    )
    task = TaskChoiceField(
        label=_("For the task"),
        queryset=JobTask.objects.none(),
        required=False,
        help_text=_("Only for a programme about one task of the function."),
    )
    workstation = forms.ModelChoiceField(
        label=_("For the workstation or machine"),
        queryset=Workstation.objects.none(),
        required=False,
    )
    audience = forms.MultipleChoiceField(
        label=_("Meant for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave everything unticked when the programme is meant for everybody."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Keeps the programme up to date."),
    )
    co_authors = forms.ModelMultipleChoiceField(
        label=_("Co-authors"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Credited on the programme. Everyone with the author role (HR, administrator, "
            "instructor) may edit its drafts."
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        programme: Programme | None = None,
        **kwargs: Any,
    ) -> None:
        if programme is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": programme.code,
                    "title": programme.title,
                    "description": programme.description,
                    "job": programme.job_id,
                    "task": programme.task_id,
                    "workstation": programme.workstation_id,
                    "audience": list(programme.audience),
                    "owner": programme.owner_id,
                    "co_authors": list(programme.co_authors.values_list("pk", flat=True)),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")
        self.fields["task"].queryset = (  # type: ignore[attr-defined]
            JobTask.objects.filter(job__organisation=organisation)
            .select_related("job")
            .order_by("job__name", "position", "id")
        )
        self.fields["workstation"].queryset = Workstation.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("name")
        self.fields["audience"].choices = audience_choices()  # type: ignore[attr-defined]
        # The people who write programmes hold a role here; keep whoever is chosen already.
        chosen = [programme.owner_id] if programme is not None and programme.owner_id else []
        if programme is not None:
            chosen += list(programme.co_authors.values_list("pk", flat=True))
        people = (
            organisation_users(organisation)
            .filter(Q(role_grants__organisation=organisation) | Q(pk__in=chosen))
            .order_by("first_name", "last_name", "id")
        )
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["co_authors"].queryset = people  # type: ignore[attr-defined]
        for name in ("job", "task", "workstation", "owner"):
            field = self.fields[name]
            field.widget = FastSelect(choices=field.widget.choices)


class VersionForm(ServiceForm):
    action_plan = forms.CharField(
        label=_("Action plan"),
        required=False,
        widget=rows(4),
        help_text=_("Who does what, when: the route through the phases and who guides it."),
    )
    evaluation = forms.CharField(
        label=_("How the programme is evaluated"),
        required=False,
        widget=rows(3),
        help_text=_("E.g. a final interview with the shift leader after six months."),
    )
    change_summary = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=rows(3),
        help_text=_("Required from version 2 on: what is different from the previous version."),
    )

    def __init__(self, *args: Any, version: ProgrammeVersion, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "action_plan": version.action_plan,
                "evaluation": version.evaluation,
                "change_summary": version.change_summary,
            },
        )
        super().__init__(*args, **kwargs)
        if version.number == 1:
            del self.fields["change_summary"]


class SubmitForm(ServiceForm):
    change_summary = forms.CharField(
        label=_("What changed"),
        required=False,
        widget=rows(4),
        help_text=_("Everyone who follows the programme reads it."),
    )

    def __init__(self, *args: Any, version: ProgrammeVersion, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"change_summary": version.change_summary})
        super().__init__(*args, **kwargs)
        if version.number == 1:
            del self.fields["change_summary"]


class ConfirmForm(ServiceForm):
    """A button only: the service checks everything."""


class ReturnForm(ServiceForm):
    reason = forms.CharField(
        label=_("What must change"),
        max_length=2000,
        widget=rows(4),
        help_text=_("The authors read it on the programme page."),
    )


class PhaseForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=rows(3))
    starts_after_days = forms.IntegerField(
        label=_("Starts at the earliest after (days)"),
        required=False,
        min_value=0,
        max_value=MAX_GATE_DAYS,
        help_text=_(
            "Days after the start of the programme, e.g. 120 for 'after four months of "
            "practical experience'. Leave empty when it may start at once."
        ),
    )
    requires_attest = forms.BooleanField(
        label=_("Needs the attest of the previous phase"), required=False
    )

    def __init__(self, *args: Any, phase: Phase | None = None, **kwargs: Any) -> None:
        if phase is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": phase.title,
                    "description": phase.description,
                    "starts_after_days": phase.starts_after_days,
                    "requires_attest": phase.requires_attest,
                },
            )
        super().__init__(*args, **kwargs)


class ModuleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.phase.title}: {obj.title}"


class ModuleForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ModuleKind.choices)
    phase = forms.ModelChoiceField(
        label=_("Phase"), queryset=Phase.objects.none(), empty_label=None
    )
    duration = forms.IntegerField(
        label=_("Planned duration"), min_value=1, max_value=MAX_DURATION, initial=1
    )
    duration_unit = forms.ChoiceField(
        label=_("Unit of duration"),
        choices=[
            ("shifts", _("shifts")),
            ("days", _("days")),
            ("weeks", _("weeks")),
            ("months", _("months")),
        ],
        initial="days",
    )
    duration_min = forms.IntegerField(
        label=_("Shortest"),
        required=False,
        min_value=1,
        max_value=MAX_DURATION,
        help_text=_("Optional: a fast learner needs at least this."),
    )
    duration_max = forms.IntegerField(
        label=_("Longest"),
        required=False,
        min_value=1,
        max_value=MAX_DURATION,
        help_text=_("Optional: e.g. 6 for '4 to 6 months'."),
    )
    content_url = forms.URLField(
        label=_("Link to the e-learning or video"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "For an e-learning or multimedia module; the learner opens it from his programme "
            "and declares it done, his guide confirms."
        ),
    )
    problem_statement = forms.CharField(
        label=_("Problem statement"),
        required=False,
        widget=rows(3),
        help_text=_("For a Leittext module: the problem the learner starts from."),
    )
    workstation = forms.ModelChoiceField(
        label=_("Part 1: workstation or machine"),
        queryset=Workstation.objects.none(),
        required=False,
    )
    environment = forms.CharField(
        label=_("Part 1: the workstation and its surroundings"),
        required=False,
        widget=rows(4),
        help_text=_("What the learner explores: the layout, the neighbours, the technical terms."),
    )
    quality_care = forms.CharField(
        label=_("Part 3: quality care (product and process control)"),
        required=False,
        widget=rows(4),
    )
    prerequisites = ModuleChoiceField(
        label=_("Needs first"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Modules of this version the learner completes before this one."),
    )

    def __init__(
        self,
        *args: Any,
        version: ProgrammeVersion,
        module: Module | None = None,
        phase: Phase | None = None,
        **kwargs: Any,
    ) -> None:
        if module is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": module.title,
                    "kind": module.kind,
                    "phase": module.phase_id,
                    "duration": module.duration,
                    "duration_unit": module.duration_unit,
                    "duration_min": module.duration_min,
                    "duration_max": module.duration_max,
                    "content_url": module.content_url,
                    "problem_statement": module.problem_statement,
                    "workstation": module.workstation_id,
                    "environment": module.environment,
                    "quality_care": module.quality_care,
                    "prerequisites": list(module.prerequisites.values_list("pk", flat=True)),
                },
            )
        elif phase is not None:
            kwargs.setdefault(
                "initial", {"phase": phase.pk, "duration": 1, "duration_unit": "days"}
            )
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = version.phases.order_by("position", "id")  # type: ignore[attr-defined]
        self.fields["workstation"].queryset = Workstation.objects.filter(  # type: ignore[attr-defined]
            organisation_id=version.organisation_id
        ).order_by("name")
        self.fields["prerequisites"].queryset = module_choices(  # type: ignore[attr-defined]
            version=version, exclude=module.pk if module is not None else None
        )
        for name in ("kind", "phase", "duration_unit", "workstation"):
            field = self.fields[name]
            field.widget = FastSelect(choices=field.widget.choices)
        if module is None:
            # A new module goes in the phase it is added to; it can move later.
            self.fields["phase"].widget = forms.HiddenInput()


class ObjectiveForm(ServiceForm):
    text = forms.CharField(
        label=_("The learner can"),
        max_length=300,
        help_text=_(
            "Start with a verb: what he does, measurably, e.g. 'fill the kettle without spilling'."
        ),
    )
    measure = forms.CharField(
        label=_("Checked by"),
        max_length=300,
        required=False,
        help_text=_("E.g. 'observation by the peter at three batches'."),
    )


class FaultForm(ServiceForm):
    symptom = forms.CharField(
        label=_("Symptom"), max_length=300, help_text=_("What he sees or hears.")
    )
    cause = forms.CharField(label=_("Cause"), max_length=300)
    remedy = forms.CharField(
        label=_("Remedy"), max_length=300, help_text=_("What he does about it.")
    )


class ChecklistItemForm(ServiceForm):
    text = forms.CharField(
        label=_("Item"),
        max_length=300,
        help_text=_("Items are ticked in the order of execution; new items go at the end."),
    )


class CompetenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class ModuleCompetenceForm(ServiceForm):
    competence = CompetenceChoiceField(label=_("Competence"), queryset=Competence.objects.none())
    level = LevelChoiceField(
        label=_("Level reached"),
        queryset=Level.objects.none(),
        help_text=_(
            "A level of the competence's scale; a confirmed sign-off records it for the learner."
        ),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, fixed: bool = False, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["competence"].queryset = Competence.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_active=True
        ).order_by("code")
        organisation_levels(self.fields["level"], organisation)
        for name in ("competence", "level"):
            field = self.fields[name]
            field.widget = FastSelect(choices=field.widget.choices)
        if fixed:
            del self.fields["competence"]


class InstructionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        title = localised(obj.latest_title or {})
        return f"{obj.code} {title}".strip()


class ModuleInstructionForm(ServiceForm):
    instruction = InstructionChoiceField(
        label=_("Work instruction"),
        queryset=WorkInstruction.objects.none(),
        help_text=_("New instructions go at the end of the do-steps; move them into order."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kw: Any) -> None:
        super().__init__(*args, **kw)
        latest = InstructionVersion.objects.filter(instruction=OuterRef("pk")).order_by("-number")
        self.fields["instruction"].queryset = (  # type: ignore[attr-defined]
            WorkInstruction.objects.filter(organisation=organisation, is_archived=False)
            .annotate(latest_title=Subquery(latest.values("title")[:1], output_field=JSONField()))
            .order_by("code")
        )
        field = self.fields["instruction"]
        field.widget = FastSelect(choices=field.widget.choices)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])
