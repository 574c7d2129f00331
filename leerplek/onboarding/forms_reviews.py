"""Input shapes for progress reviews. The rules (dates, order, who may correct) live in
`services_reviews`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.onboarding import selectors_reviews as selectors
from leerplek.onboarding.models import OnboardingTask
from leerplek.people.forms import DateInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a development dependency: types only

TEXT_MAX = 5000


def _text(
    label: StrOrPromise, help_text: StrOrPromise = "", rows: int = 4, required: bool = False
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReviewForm(forms.Form):
    """The review talk: the day, the pre-filled overview, the notes and what comes next."""

    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    practised = _text(
        _("What was practised"),
        _("Filled in with the tasks done since the previous review; change it as you agree."),
    )
    independent = _text(
        _("What the newcomer does independently"),
        _("Work-floor tasks done and workstations where the line manager released him or her."),
    )
    open_tasks = _text(
        _("Open tasks"), _("Late tasks and those due before the next review."), rows=6
    )
    notes = _text(
        _("Notes of the talk"),
        _("How it goes, what went well, what is difficult, what the newcomer asks."),
        rows=5,
        required=True,
    )
    next_steps = _text(_("What to learn next"), rows=3)
    # Errors of the new planning (the due-date fields below) are shown above that table.
    plan = forms.Field(required=False, widget=forms.HiddenInput, label=_("New planning"))

    def __init__(
        self,
        *args: Any,
        open_tasks: list[OnboardingTask] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan_tasks = list(open_tasks or [])
        for task in self.plan_tasks:
            self.fields[f"due_{task.pk}"] = forms.DateField(
                label=_("New due date for %(title)s") % {"title": task.title},
                required=False,
                widget=DateInput(),
            )
        self.fields["held_on"].initial = timezone.localdate()

    def plan_rows(self) -> list[tuple[OnboardingTask, forms.BoundField]]:
        return [(task, self[f"due_{task.pk}"]) for task in self.plan_tasks]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        plan: dict[int, datetime.date] = {}
        for task in self.plan_tasks:
            due_on = data.pop(f"due_{task.pk}", None)
            if due_on is not None and due_on != task.due_on:
                plan[task.pk] = due_on
        data["plan"] = plan
        return data


class CorrectForm(ReviewForm):
    """A held review's texts and day; the planning was applied when it was held."""

    plan = None  # type: ignore[assignment]  # Django removes an inherited field set to None


class MoveForm(forms.Form):
    planned_on = forms.DateField(label=_("New date"), widget=DateInput())


class ScheduleForm(forms.Form):
    interval_days = forms.IntegerField(
        label=_("Days between reviews"),
        help_text=_(
            "30 is about monthly. The reviews not held yet are planned again from the last "
            "held one (or the start) up to the planned end; held reviews do not change."
        ),
    )


STATE_CHOICES = [
    (selectors.ATTENTION, _("To hold now")),
    (selectors.OVERDUE, _("Overdue")),
    (selectors.DUE, _("Due soon")),
    (selectors.PLANNED, _("Planned later")),
    (selectors.HELD, _("Held")),
    (selectors.ALL, _("All")),
]


class ReviewFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Show"), choices=STATE_CHOICES, required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, widget=FastSelect)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units:
            self.fields["unit"].choices = [("", _("All my units")), *units]  # type: ignore[attr-defined]
        else:
            del self.fields["unit"]
