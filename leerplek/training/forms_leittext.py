"""Input shapes for the Leittext pages. Business rules live in services_leittext."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from leerplek.people.forms import DateInput
from leerplek.training.models import (
    LeittextCriterion,
    LeittextPhase,
    LeittextQuestion,
    LeittextQuestionKind,
)
from leerplek.training.services_leittext import (
    ERRORS,
    MAX_ANSWER,
    MAX_LOG_TEXT,
    MAX_MINUTES,
    MAX_NOTE,
    MAX_PLAN,
)

SCORE_WORDS = [
    (1, _("poor")),
    (2, _("weak")),
    (3, _("fair")),
    (4, _("good")),
    (5, _("very good")),
]


def _minutes_message() -> str:
    return str(ERRORS["minutes_range"]) % {"max": MAX_MINUTES}


# Translated when shown, not at import.
MINUTES_MESSAGE = lazy(_minutes_message, str)()
MINUTES_MESSAGES = {
    "required": MINUTES_MESSAGE,
    "invalid": MINUTES_MESSAGE,
    "min_value": MINUTES_MESSAGE,
    "max_value": MINUTES_MESSAGE,
}


def put_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's errors on the form: next to the field they name when the form shows it,
    above the form otherwise (a hidden field, or one the service checks across fields)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = form.fields.get(name)
        if field is not None and not field.widget.is_hidden:
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)


# --- Authoring -----------------------------------------------------------------------------------


class ProblemForm(forms.Form):
    problem_statement = forms.CharField(
        label=_("Problem statement"),
        required=False,
        max_length=MAX_PLAN,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The real situation the learner starts from, e.g. 'On Friday evening 120 covers are "
            "booked; prepare the cold kitchen so that every starter leaves within 8 minutes.'"
        ),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=LeittextQuestionKind.choices,
        help_text=_(
            "Planning questions ask for the order of the tasks; steering questions probe insight "
            "and understanding (the why)."
        ),
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=LeittextPhase.choices)
    text = forms.CharField(
        label=_("Question"),
        max_length=MAX_ANSWER,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": ERRORS["text_required"]},
    )

    @classmethod
    def for_question(cls, question: LeittextQuestion, data: Any = None) -> QuestionForm:
        return cls(
            data,
            initial={"kind": question.kind, "phase": question.phase, "text": question.text},
            prefix=f"q{question.pk}",
        )


class CriterionForm(forms.Form):
    text = forms.CharField(
        label=_("Criterion"),
        max_length=MAX_LOG_TEXT,
        error_messages={"required": ERRORS["criterion_required"]},
        help_text=_("What learner and coach each score from 1 to 5 after the work."),
    )

    @classmethod
    def for_criterion(cls, criterion: LeittextCriterion, data: Any = None) -> CriterionForm:
        return cls(data, initial={"text": criterion.text}, prefix=f"c{criterion.pk}")


class MoveForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", _("Up")), ("down", _("Down"))],
        error_messages={"required": ERRORS["direction_unknown"]},
    )


class EffortForm(forms.Form):
    worked_on = forms.DateField(label=_("Worked on"), widget=DateInput())
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=MAX_MINUTES, error_messages=MINUTES_MESSAGES
    )
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=200,
        help_text=_("e.g. 'Photos of the steps', 'Working group: task analysis'."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worked_on"].initial = timezone.localdate()


# --- A learner's work ----------------------------------------------------------------------------


def answer_field_name(question_id: int) -> str:
    return f"answer_{question_id}"


class AnswerForm(forms.Form):
    """The answers to the questions of one phase; empty answers may be saved and filled later."""

    phase = forms.ChoiceField(choices=LeittextPhase.choices, widget=forms.HiddenInput)

    def __init__(self, *args: Any, questions: list[Any], phase: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].initial = phase
        self.question_ids: list[int] = []
        for row in questions:
            question = row.question
            name = answer_field_name(question.pk)
            self.question_ids.append(question.pk)
            self.fields[name] = forms.CharField(
                label=question.text,
                required=False,
                max_length=MAX_ANSWER,
                initial=row.answer,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=question.get_kind_display(),
            )

    def answers(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(answer_field_name(pk), "") for pk in self.question_ids}


class PlanForm(forms.Form):
    work_plan = forms.CharField(
        label=_("My work plan"),
        max_length=MAX_PLAN,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": ERRORS["plan_required"]},
        help_text=_(
            "The steps you will take, in order, what you need for each and how you will check the "
            "result. Your coach discusses it with you in the expert talk."
        ),
    )


def score_field_name(criterion_id: int) -> str:
    return f"score_{criterion_id}"


class ScoreForm(forms.Form):
    """A score from 1 to 5 for every criterion of the control sheet."""

    def __init__(
        self,
        *args: Any,
        criteria: list[LeittextCriterion],
        scores: dict[str, int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        scores = scores or {}
        self.criteria = criteria
        for criterion in criteria:
            self.fields[score_field_name(criterion.pk)] = forms.TypedChoiceField(
                label=criterion.text,
                choices=SCORE_WORDS,
                coerce=int,
                widget=forms.RadioSelect,
                initial=scores.get(str(criterion.pk)),
                error_messages={"required": _("Score this criterion from 1 to 5.")},
            )

    def scores(self) -> dict[int, int]:
        return {row.pk: self.cleaned_data[score_field_name(row.pk)] for row in self.criteria}

    def rows(self) -> list[tuple[LeittextCriterion, forms.BoundField]]:
        return [(row, self[score_field_name(row.pk)]) for row in self.criteria]


class TalkForm(forms.Form):
    expert_talk_on = forms.DateField(label=_("Date of the expert talk"), widget=DateInput())
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve the work plan: execution may start")),
            ("changes", _("Not yet: the plan must change first")),
        ],
        widget=forms.RadioSelect,
        initial="approve",
    )
    note = forms.CharField(
        label=_("What was agreed"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the plan must change: say what to change."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert_talk_on"].initial = timezone.localdate()


class EvaluationForm(forms.Form):
    evaluation_note = forms.CharField(
        label=_("Evaluation"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": ERRORS["evaluation_required"]},
        help_text=_(
            "Talk the differences on the control sheet through with the learner. Once saved, the "
            "Leittext is closed and nobody changes it."
        ),
    )


class TimeForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes worked"),
        min_value=1,
        max_value=MAX_MINUTES,
        error_messages=MINUTES_MESSAGES,
        help_text=_("Added to your total."),
    )


class ErrorLogForm(forms.Form):
    error = forms.CharField(
        label=_("What went wrong"),
        max_length=MAX_LOG_TEXT,
        error_messages={"required": ERRORS["error_required"]},
    )
    cause = forms.CharField(
        label=_("Why: the cause"),
        max_length=MAX_LOG_TEXT,
        error_messages={"required": ERRORS["error_required"]},
    )
    remedy = forms.CharField(
        label=_("How you removed the cause"),
        max_length=MAX_LOG_TEXT,
        error_messages={"required": ERRORS["error_required"]},
    )
