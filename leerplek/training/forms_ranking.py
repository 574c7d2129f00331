"""Input shapes of the machine ranking. Business rules live in services_ranking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.people.models import Organisation, OrgUnit, Workstation
from leerplek.training.forms_programmes import ServiceForm
from leerplek.training.models import MachineScore, RankingQuestion
from leerplek.training.services_ranking import (
    ERRORS,
    SCORE_MAX,
    SCORE_MIN,
    note_field,
    score_field,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# What 1 and 5 stand for, per question: a scorer compares machines, not absolute numbers.
ANCHORS = {
    RankingQuestion.PROBLEMS: (_("hardly any problems"), _("many problems")),
    RankingQuestion.SHARED_USE: (_("one regular operator"), _("many different operators")),
    RankingQuestion.TRAINING_TIME: (_("learnt in a day"), _("takes months")),
    RankingQuestion.DOWNTIME: (_("back in minutes"), _("down for days")),
}


class RoundForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
        help_text=_("The machines of this unit and the units below it are scored."),
    )
    machines_only = forms.BooleanField(
        label=_("Machines only"),
        required=False,
        initial=True,
        help_text=_("Untick to score every workstation of the unit, not only the machines."),
    )
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        ).order_by("path")
        self.fields["opened_on"].initial = timezone.localdate()


class CloseForm(ServiceForm):
    confirm = forms.BooleanField(
        label=_("Close the ranking: nobody can change the scores afterwards"),
        error_messages={
            "required": _("Tick the box to confirm: a closed ranking cannot be reopened.")
        },
    )


@dataclass
class ScoreRow:
    """One machine on the scoring form: its four answers and a note."""

    workstation: Workstation
    answers: list[tuple[forms.BoundField, Any, Any]]
    note: forms.BoundField

    @property
    def has_errors(self) -> bool:
        return bool(self.note.errors) or any(field.errors for field, _low, _high in self.answers)


class ScoreForm(ServiceForm):
    """Every machine of the round at once: per question a score from 1 (low) to 5 (high)."""

    def __init__(
        self,
        *args: Any,
        machines: list[Workstation],
        mine: dict[int, MachineScore] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        mine = mine or {}
        self.machines = machines
        choices = [(value, str(value)) for value in range(SCORE_MIN, SCORE_MAX + 1)]
        for machine in machines:
            earlier = mine.get(machine.pk)
            # Escape "%": the message is formatted again with the validator's parameters.
            name = machine.name.replace("%", "%%")
            out_of_range = ERRORS["out_of_range"] % {
                "machine": name,
                "min": SCORE_MIN,
                "max": SCORE_MAX,
            }
            for question, label in RankingQuestion.choices:
                self.fields[score_field(machine.pk, question)] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=SCORE_MIN,
                    max_value=SCORE_MAX,
                    widget=forms.RadioSelect(choices=choices),
                    initial=getattr(earlier, question, None),
                    error_messages={
                        "min_value": out_of_range,
                        "max_value": out_of_range,
                        "invalid": out_of_range,
                    },
                )
            self.fields[note_field(machine.pk)] = forms.CharField(
                label=_("Note on %(machine)s") % {"machine": machine.name},
                required=False,
                max_length=300,
                initial=getattr(earlier, "note", ""),
            )

    def rows(self) -> list[ScoreRow]:
        return [
            ScoreRow(
                workstation=machine,
                answers=[
                    (self[score_field(machine.pk, question)], *ANCHORS[RankingQuestion(question)])
                    for question in RankingQuestion.values
                ],
                note=self[note_field(machine.pk)],
            )
            for machine in self.machines
        ]

    def scores(self) -> dict[int, dict[str, Any]]:
        """workstation id -> {question: score or None, "note": text}, for the service."""
        data = self.cleaned_data
        return {
            machine.pk: {
                **{
                    question: data.get(score_field(machine.pk, question))
                    for question in RankingQuestion.values
                },
                "note": data.get(note_field(machine.pk), ""),
            }
            for machine in self.machines
        }
