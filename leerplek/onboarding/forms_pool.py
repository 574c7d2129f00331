"""Input shapes for the peter/meter pool pages. Business rules live in `services_pool`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.onboarding import services_pool
from leerplek.onboarding.models import (
    CriterionKind,
    EligibilityCriterion,
    GuideTrainingKind,
    NumericMeasure,
    QualityConfirmation,
)
from leerplek.people.forms import DateInput
from leerplek.people.models import OrgUnit


class CriterionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CriterionKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Numeric: read from the person's record against a minimum. Qualitative: confirmed "
            "by a line manager who knows the person."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the line manager looks at, in a sentence."),
    )
    measure = forms.ChoiceField(
        label=_("Measure (numeric only)"),
        required=False,
        choices=[("", "---------"), *NumericMeasure.choices],
        help_text=_(
            "Years of experience and the hire date come from the person's record; the "
            "evaluation score is entered on the peter/meter profile."
        ),
    )
    minimum = forms.DecimalField(
        label=_("Minimum (numeric only)"),
        required=False,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        help_text=_("For example 10 for ten years."),
    )
    is_required = forms.BooleanField(
        label=_("Required (otherwise advisory)"),
        required=False,
        initial=True,
        help_text=_("A candidate who misses a required criterion needs an override with a reason."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    @classmethod
    def initial_of(cls, criterion: EligibilityCriterion) -> dict[str, Any]:
        return {name: getattr(criterion, name) for name in cls.base_fields}


class ProposeForm(forms.Form):
    employee = forms.TypedChoiceField(label=_("Person"), coerce=int, widget=FastSelect)
    motivation = forms.CharField(
        label=_("Why this colleague"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What makes him or her a good peter/meter, in a few words."),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].choices = [("", "---------"), *people]  # type: ignore[attr-defined]


class VolunteerForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why you would like to guide newcomers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


MET_CHOICES = [("yes", _("Met")), ("no", _("Not met")), ("", _("Not judged yet"))]


class QualitiesForm(forms.Form):
    """One "met / not met" choice and a note per qualitative criterion."""

    def __init__(
        self,
        *args: Any,
        criteria: list[EligibilityCriterion],
        current: dict[int, QualityConfirmation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            confirmation = current.get(criterion.pk)
            self.fields[f"met_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.name,
                choices=MET_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                help_text=criterion.description,
                initial=(
                    ("yes" if confirmation.is_met else "no") if confirmation is not None else ""
                ),
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note on %(name)s") % {"name": criterion.name},
                required=False,
                max_length=300,
                initial=confirmation.note if confirmation is not None else "",
            )

    def answers(self) -> list[tuple[EligibilityCriterion, bool, str]]:
        """(criterion, met, note) for each criterion judged; the ones left open are skipped."""
        data = self.cleaned_data
        return [
            (criterion, data[f"met_{criterion.pk}"] == "yes", data[f"note_{criterion.pk}"])
            for criterion in self.criteria
            if data.get(f"met_{criterion.pk}")
        ]

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"met_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]


class ApproveForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for the exception"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when a required criterion is not met or not yet confirmed."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GuideProfileForm(forms.Form):
    max_mentees = forms.IntegerField(
        label=_("Most newcomers at a time"),
        min_value=1,
        max_value=20,
        help_text=_("Newcomers he or she guides as peter/meter at the same time (not as backup)."),
    )
    shift = forms.ModelChoiceField(
        label=_("Shift"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Only needed when the shift is not his or her own unit."),
    )
    load_unit = forms.CharField(
        label=_("Production load measured in"),
        required=False,
        max_length=40,
        help_text=_("For example: lines, orders, rounds."),
    )
    normal_load = forms.IntegerField(
        label=_("Normal load"), required=False, min_value=0, max_value=32000
    )
    reduced_load = forms.IntegerField(
        label=_("Load while guiding"),
        required=False,
        min_value=0,
        max_value=32000,
        help_text=_(
            "Less production while guiding gives time to explain (for example 6 lines → 4 lines)."
        ),
    )
    evaluation_score = forms.DecimalField(
        label=_("Last evaluation score"),
        required=False,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
    )

    def __init__(self, *args: Any, shifts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = shifts  # type: ignore[attr-defined]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"}
        ),
    )
    remove = forms.BooleanField(label=_("Remove the current photo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photo"].required = False
        self.fields["photo"].help_text = _(
            "A friendly photo newcomers recognise on the floor: JPG, PNG or WEBP of at most "
            "%(max)s MB."
        ) % {"max": services_pool.PHOTO_MAX_MB}

    def clean_photo(self) -> Any:
        file = self.cleaned_data.get("photo")
        if file:
            services_pool.check_photo(file)
        return file or None


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GuideTrainingKind.choices)
    completed_on = forms.DateField(label=_("Followed on"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_digits=5,
        decimal_places=2,
        help_text=_("For example 7.5 for a day."),
    )
    provider = forms.CharField(
        label=_("Given by"),
        required=False,
        max_length=200,
        help_text=_("The trainer or organisation, e.g. a sector fund."),
    )
    topics = forms.CharField(
        label=_("Topics"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()
        # The curriculum of MEN-13, to edit down to what the training covered.
        self.fields["topics"].initial = "\n".join(
            str(topic) for topic in services_pool.CURRICULUM_TOPICS
        )
        self.fields["topics"].help_text = _(
            "One per line. The suggested list is the usual curriculum; keep what was covered."
        )
