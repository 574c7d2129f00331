"""Input shapes for the guidance pages. Business rules live in services_guidance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.onboarding.models import (
    GUIDANCE_FORMS,
    GuidanceKind,
    InstructorSelection,
    MentorProgramme,
    SelectionOutcome,
)
from leerplek.people.forms import DateInput, OrganisationScopedForm

# The kinds started directly; coaching starts with a request.
STARTED_KINDS = [
    (value, label) for value, label in GUIDANCE_FORMS.items() if value != GuidanceKind.COACH
]
YES_NO = [("", "---------"), ("yes", _("Yes, reached")), ("no", _("No, not (fully) reached"))]

TARGET_HELP = _(
    "What the learner can do at the end, so that anyone can see it, e.g. 'sets up line 3 alone "
    "in under 20 minutes'."
)


def _text(label: Any, *, required: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _choices(field: forms.Field, choices: list[tuple[Any, str]], empty: bool = True) -> None:
    field.choices = [("", "---------"), *choices] if empty else choices  # type: ignore[attr-defined]


class GuidanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Form of guidance"), choices=STARTED_KINDS)
    learner = forms.TypedChoiceField(label=_("Learner"), coerce=int, widget=FastSelect)
    guide = forms.TypedChoiceField(
        label=_("Guide"),
        coerce=int,
        widget=FastSelect,
        help_text=_("The number shows how many people each colleague guides now in this form."),
    )
    is_backup = forms.BooleanField(
        label=_("Backup (stands in when the guide is absent)"), required=False
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=DateInput())
    target_result = _text(_("Observable target result"), help_text=TARGET_HELP)
    programme = forms.TypedChoiceField(
        label=_("Mentor programme"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=FastSelect,
        help_text=_("Only for a peter/meter or a mentorship that is part of a formal programme."),
    )
    reason = _text(_("Why this colleague"), rows=2)

    def __init__(
        self,
        *args: Any,
        learners: list[tuple[int, str]],
        guides: list[tuple[int, str]],
        programmes: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["learner"], learners)
        _choices(self.fields["guide"], guides)
        _choices(self.fields["programme"], programmes)
        self.fields["starts_on"].initial = timezone.localdate()


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    outcome = _text(
        _("Outcome"),
        help_text=_("What can the learner do now, compared with the target result?"),
    )
    target_reached = forms.TypedChoiceField(
        label=_("Target result reached?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=None,
    )
    reason = _text(_("Why it ends"), rows=2)

    def __init__(self, *args: Any, with_target: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = timezone.localdate()
        if not with_target:
            del self.fields["outcome"]
            del self.fields["target_reached"]
        else:
            self.fields["reason"].help_text = _(
                "Optional; the outcome says enough when it ran its course."
            )


class ReplaceForm(forms.Form):
    guide = forms.TypedChoiceField(label=_("New guide"), coerce=int, widget=FastSelect)
    on = forms.DateField(
        label=_("Handover day"),
        widget=DateInput(),
        help_text=_("The old guide's last day and the new guide's first day."),
    )
    reason = _text(_("Why the change"), rows=2)

    def __init__(self, *args: Any, guides: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["guide"], guides)
        self.fields["on"].initial = timezone.localdate()


class CoachingRequestForm(forms.Form):
    learner = forms.TypedChoiceField(label=_("Who is coached"), coerce=int, widget=FastSelect)
    coach = forms.TypedChoiceField(
        label=_("Coach"),
        coerce=int,
        widget=FastSelect,
        help_text=_("An experienced colleague; the number shows how many people each coaches now."),
    )
    target_result = _text(_("Observable target result"), required=True, help_text=TARGET_HELP)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    planned_end = forms.DateField(
        label=_("Planned end"),
        widget=DateInput(),
        help_text=_("Coaching is short: usually a few weeks, at most about three months."),
    )
    reason = _text(_("What to work on, and why this coach"), rows=2)
    # Shown only after the warning about a long coaching (see `ask_to_confirm_long`).
    long_ok = forms.BooleanField(
        label=_("Keep this planned end, longer than three months"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(
        self,
        *args: Any,
        learners: list[tuple[int, str]],
        coaches: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["learner"], learners, empty=len(learners) != 1)
        _choices(self.fields["coach"], coaches)
        self.fields["starts_on"].initial = timezone.localdate()

    def ask_to_confirm_long(self) -> None:
        self.fields["long_ok"].widget = forms.CheckboxInput()


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = _text(
        _("Reason"),
        rows=2,
        help_text=_("Required when you decline, so the learner can ask someone else."),
    )


class ProgrammeLinkForm(forms.Form):
    programme = forms.TypedChoiceField(
        label=_("Mentor programme"), coerce=int, required=False, empty_value=None, widget=FastSelect
    )

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["programme"], programmes)


class ProgrammeForm(OrganisationScopedForm):
    class Meta:
        model = MentorProgramme
        fields = [
            "name",
            "goals",
            "expectations",
            "agreements",
            "sponsor",
            "starts_on",
            "ends_on",
            "is_active",
        ]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "expectations": forms.Textarea(attrs={"rows": 3}),
            "agreements": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].required = True
        if not self.instance.pk:
            self.fields["starts_on"].initial = timezone.localdate()


class SelectionForm(OrganisationScopedForm):
    class Meta:
        model = InstructorSelection
        fields = [
            "candidate",
            "workstation",
            "competence",
            "profile_match",
            "assessment",
            "peer_feedback",
        ]
        widgets = {
            "profile_match": forms.Textarea(attrs={"rows": 3}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "peer_feedback": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "assessment": _(
                "Social and teaching skills, no hierarchical behaviour, setting the example "
                "(using the prescribed documents), reaction to unexpected situations."
            ),
            "peer_feedback": _("What the team the candidate works with every day says."),
        }


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (SelectionOutcome.SELECTED, _("Selected")),
            (SelectionOutcome.NOT_RETAINED, _("Not retained")),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    feedback_conversation_on = forms.DateField(
        label=_("Feedback conversation on"),
        required=False,
        widget=DateInput(),
        help_text=_("Required when the candidate is not retained."),
    )
    feedback_note = _text(
        _("What was said"),
        help_text=_("Why the candidate was not retained, and what he could work on."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()


# --- The four forms of guidance, as the brochure defines them (MEN-01) --------------------------


@dataclass(frozen=True)
class GuidanceFormText:
    """One form of guidance with its glossary definition and the brochure's criteria for
    choosing it: the learner, the goal and duration, and the guide (L2122-2124)."""

    kind: str
    name: Any
    definition: Any
    learner: Any
    goal: Any
    guide: Any


GLOSSARY = [
    GuidanceFormText(
        GuidanceKind.MENTOR,
        _("Peter/meter (peterschap)"),
        _(
            "A form of individual guidance: an experienced or expert colleague whom people "
            "trust helps a new colleague to integrate, to learn things faster or sooner, or to "
            "learn things he would not otherwise have learned."
        ),
        _("A newcomer, or someone starting another job, new equipment or new technology."),
        _("Settling in and learning the job; for the onboarding period (months)."),
        _(
            "An experienced, trusted colleague from the work floor, designated by the employer "
            "or the hierarchical line. The law requires one for every newcomer."
        ),
    ),
    GuidanceFormText(
        GuidanceKind.LONG_TERM_GUIDE,
        _("Mentorship"),
        _(
            "A mentor is a more experienced and expert colleague who gives individual learning "
            "guidance, fully tailored to the person he guides. Mentoring is a cooperative "
            "learning process in which one person helps the other develop. It can arise "
            "spontaneously, without contract, goals or agreements, and last long; or be part of "
            "a formal mentor programme. Mentor and mentee are equals."
        ),
        _("Anyone who wants to grow, for instance a new manager or a future instructor."),
        _("Broad personal development; long term, often a year or more."),
        _("A more experienced and expert colleague, sometimes the line manager."),
    ),
    GuidanceFormText(
        GuidanceKind.COACH,
        _("Coaching"),
        _(
            "Coaching usually spans a short period and serves to find out what is needed to "
            "function better in the current job. At the end a concrete, observable result is "
            "expected. The coach asks the right questions so that the person coached reflects "
            "on what he does and takes responsibility for it."
        ),
        _("An employee who wants to do better in his current job."),
        _("One concrete, observable result; a few weeks, at most about three months."),
        _("An experienced colleague the employee (or his manager) asks to coach him."),
    ),
    GuidanceFormText(
        GuidanceKind.INSTRUCTOR,
        _("Instruction"),
        _(
            "Workplace instruction is a course-like form of training on the job, based on a "
            "detailed task analysis: experts have laid down what the task is and how it is "
            "done, and the trainee carries out the steps in the given order, right first time."
        ),
        _("A newcomer or colleague who must learn a workstation, machine or procedure."),
        _("Doing the task correctly in the prescribed order; the length of the programme."),
        _("A selected instructor; all instructors work the same way."),
    ),
]
