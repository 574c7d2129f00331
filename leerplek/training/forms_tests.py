"""Input shapes for the tests pages. Business rules live in services_tests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.people.models import Organisation
from leerplek.training.forms_leittext import put_errors
from leerplek.training.models import (
    EscalationDecision,
    Module,
    Phase,
    PracticalCriterion,
    Programme,
    Question,
    QuestionKind,
    TestKind,
    TestStatus,
    VersionStatus,
    WorkInstruction,
)
from leerplek.training.services_tests import ERRORS, MAX_POINTS, MAX_TEXT

__all__ = ["put_errors"]

PHOTO_ACCEPT = {"accept": "image/jpeg,image/png,image/webp"}


def rows(count: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": count})


def _points_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Points"),
        min_value=1,
        max_value=MAX_POINTS,
        initial=1,
        error_messages={
            "required": ERRORS["points_range"],
            "invalid": ERRORS["points_range"],
            "min_value": ERRORS["points_range"],
            "max_value": ERRORS["points_range"],
        },
    )


class PhaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.version.programme.title} v{obj.version.number} · {obj.title}"


class ModuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.version.programme.title} v{obj.version.number} · {obj.title}"


class TestForm(forms.Form):
    __test__ = False  # not a pytest class

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": ERRORS["title_required"]}
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERRORS["kind_unknown"]},
    )
    instructions = forms.CharField(
        label=_("What the learner is told before starting"),
        required=False,
        max_length=MAX_TEXT,
        widget=rows(3),
        help_text=_(
            "E.g. 'Ten questions about filling the sauce. Take your time; you may practise first.'"
        ),
    )
    module = ModuleChoiceField(
        label=_("Module"),
        queryset=Module.objects.none(),
        required=False,
        widget=FastSelect,
        help_text=_("Link the test to one module, one phase or a whole programme."),
    )
    phase = PhaseChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    is_final = forms.BooleanField(
        label=_("Final evaluation of the programme"),
        required=False,
        help_text=_("The programme is completed only when this test is passed."),
    )
    pass_percent = forms.IntegerField(
        label=_("Pass mark (%)"),
        min_value=1,
        max_value=100,
        error_messages={
            "required": ERRORS["pass_range"],
            "invalid": ERRORS["pass_range"],
            "min_value": ERRORS["pass_range"],
            "max_value": ERRORS["pass_range"],
        },
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"),
        min_value=1,
        max_value=20,
        help_text=_("The first attempt and the retakes: 3 is one test and 2 retakes."),
        error_messages={
            "required": ERRORS["attempts_range"],
            "invalid": ERRORS["attempts_range"],
            "min_value": ERRORS["attempts_range"],
            "max_value": ERRORS["attempts_range"],
        },
    )
    allow_practice = forms.BooleanField(
        label=_("Practice mode"),
        required=False,
        initial=True,
        help_text=_("The learner may practise with feedback first; practice never counts."),
    )
    issues_attest = forms.BooleanField(
        label=_("Issues an attest on passing"), required=False, initial=True
    )
    attest_title = forms.CharField(
        label=_("Attest title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the title of the test."),
    )
    attest_valid_months = forms.IntegerField(
        label=_("Attest valid for (months)"),
        required=False,
        min_value=1,
        max_value=240,
        help_text=_("Leave empty for an attest without expiry."),
        error_messages={
            "invalid": ERRORS["valid_months_range"],
            "min_value": ERRORS["valid_months_range"],
            "max_value": ERRORS["valid_months_range"],
        },
    )
    recertification_programme = forms.ModelChoiceField(
        label=_("Recertification programme"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_("Assigned to the holder when the attest expires."),
    )
    preparation = forms.ModelMultipleChoiceField(
        label=_("Preparation material"),
        queryset=WorkInstruction.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The work instructions (fiches) the learner reads before the test."),
    )
    repeat_months = forms.IntegerField(
        label=_("Repeat every (months)"),
        required=False,
        min_value=1,
        max_value=240,
        help_text=_(
            "A recurring test: everyone who passed takes it again after this many months. The "
            "test's page lists who is due and who is overdue."
        ),
        error_messages={
            "invalid": ERRORS["valid_months_range"],
            "min_value": ERRORS["valid_months_range"],
            "max_value": ERRORS["valid_months_range"],
        },
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "pass_percent": settings.LEERPLEK.get("TEST_PASS_PERCENT", 65),
                "max_attempts": settings.LEERPLEK.get("TEST_MAX_ATTEMPTS", 3),
                "allow_practice": True,
                "issues_attest": True,
            },
        )
        super().__init__(*args, **kwargs)
        live = [VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED]
        programmes = Programme.objects.filter(organisation=organisation).order_by("title")
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["recertification_programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["preparation"].queryset = WorkInstruction.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, is_archived=False
        ).order_by("code")
        self.fields["phase"].queryset = (  # type: ignore[attr-defined]
            Phase.objects.filter(version__organisation=organisation, version__status__in=live)
            .select_related("version__programme")
            .order_by("version__programme__title", "-version__number", "position")
        )
        self.fields["module"].queryset = (  # type: ignore[attr-defined]
            Module.objects.filter(version__organisation=organisation, version__status__in=live)
            .select_related("version__programme")
            .order_by("version__programme__title", "-version__number", "position")
        )


class TestFilterForm(forms.Form):
    __test__ = False

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *TestStatus.choices]
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=TestStatus.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": ERRORS["status_unknown"],
            "invalid_choice": ERRORS["status_unknown"],
        },
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, remove it"), error_messages={"required": ERRORS["confirm_required"]}
    )


PHOTO_HELP = _("A JPG, PNG or WEBP photo of at most %(max)s MB.")


def _photo_help() -> str:
    return str(PHOTO_HELP) % {"max": settings.LEERPLEK.get("TRAINING_PHOTO_MAX_MB", 5)}


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERRORS["question_kind_unknown"]},
    )
    text = forms.CharField(
        label=_("Question"),
        max_length=MAX_TEXT,
        widget=rows(2),
        error_messages={"required": ERRORS["question_required"]},
    )
    true_is_correct = forms.BooleanField(
        label=_("True or false: the statement is true"),
        required=False,
        help_text=_("Only for a true-or-false question: tick when 'true' is the right answer."),
    )
    photo = forms.FileField(
        label=_("Photo with the question"),
        required=False,
        widget=forms.ClearableFileInput(attrs=PHOTO_ACCEPT),
    )
    points = _points_field()
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=MAX_TEXT,
        widget=rows(2),
        help_text=_("Why the right answer is right: shown in practice mode and after an attempt."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _photo_help()


class QuestionEditForm(forms.Form):
    text = QuestionForm.base_fields["text"]
    photo = forms.FileField(
        label=_("Photo with the question"),
        required=False,
        widget=forms.FileInput(attrs=PHOTO_ACCEPT),
    )
    points = _points_field()
    explanation = QuestionForm.base_fields["explanation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _("Leave empty to keep the current photo. %(rule)s") % {
            "rule": _photo_help()
        }

    @classmethod
    def for_question(cls, question: Question, *args: Any, **kwargs: Any) -> QuestionEditForm:
        return cls(
            *args,
            initial={
                "text": question.text,
                "points": question.points,
                "explanation": question.explanation,
            },
            **kwargs,
        )


class ChoiceForm(forms.Form):
    text = forms.CharField(label=_("Answer"), required=False, max_length=300)
    photo = forms.FileField(
        label=_("Photo"), required=False, widget=forms.FileInput(attrs=PHOTO_ACCEPT)
    )
    is_correct = forms.BooleanField(label=_("This is the right answer"), required=False)

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _photo_help()
        if question.kind == QuestionKind.PHOTO:
            self.fields["photo"].required = True
            self.fields["photo"].error_messages["required"] = ERRORS["choice_photo_required"]
            self.fields["text"].label = _("Caption (optional)")
        else:
            del self.fields["photo"]
            self.fields["text"].required = True
            self.fields["text"].error_messages["required"] = ERRORS["choice_required"]


class CriterionForm(forms.Form):
    text = forms.CharField(
        label=_("Criterion"),
        max_length=300,
        error_messages={"required": ERRORS["criterion_required"]},
        help_text=_(
            "What the observer sees the learner do, e.g. 'Closes the valve before opening the lid'."
        ),
    )
    points = _points_field()
    is_critical = forms.BooleanField(
        label=_("Critical"),
        required=False,
        help_text=_("Missing a critical item fails the test whatever the score."),
    )


def answer_field_name(question_id: int) -> str:
    return f"q{question_id}"


class AnswerForm(forms.Form):
    """One radio group per question; the values are choice ids, checked against the question
    by the service (a forged value counts as no answer)."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[answer_field_name(question.pk)] = forms.TypedChoiceField(
                label=question.text,
                choices=[
                    (choice.pk, choice.text or f"#{choice.position}")
                    for choice in question.choices.all()
                ],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer to question %(number)s.") % {"number": number},
                    "invalid_choice": _("Choose one of the answers of question %(number)s.")
                    % {"number": number},
                },
            )

    def answers(self) -> dict[str, int]:
        return {
            str(question.pk): self.cleaned_data[answer_field_name(question.pk)]
            for question in self.questions
        }

    def rows(self) -> list[tuple[int, Question, forms.BoundField]]:
        return [
            (number, question, self[answer_field_name(question.pk)])
            for number, question in enumerate(self.questions, start=1)
        ]


def criterion_field_name(criterion_id: int) -> str:
    return f"c{criterion_id}"


class ObservationForm(forms.Form):
    note = forms.CharField(
        label=_("Observer's note"),
        required=False,
        max_length=MAX_TEXT,
        widget=rows(3),
        help_text=_("What went well and what to practise, for the learner."),
    )

    def __init__(self, *args: Any, criteria: list[PracticalCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            label = criterion.text
            fields[criterion_field_name(criterion.pk)] = forms.BooleanField(
                label=label, required=False
            )
        self.fields = {**fields, "note": self.fields["note"]}

    def checked(self) -> dict[str, bool]:
        return {
            str(criterion.pk): bool(self.cleaned_data.get(criterion_field_name(criterion.pk)))
            for criterion in self.criteria
        }

    def rows(self) -> list[tuple[PracticalCriterion, forms.BoundField]]:
        return [
            (criterion, self[criterion_field_name(criterion.pk)]) for criterion in self.criteria
        ]


class EscalationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=EscalationDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": ERRORS["decision_unknown"],
            "invalid_choice": ERRORS["decision_unknown"],
        },
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_TEXT,
        widget=rows(3),
        help_text=_("For the learner and his manager: why, and what happens next. Needed to stop."),
    )
