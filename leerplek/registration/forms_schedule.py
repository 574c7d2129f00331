"""Input shapes of session scheduling; the rules live in `services_schedule`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from leerplek.people.models import Employee, Organisation, OrgUnit, UnitKind
from leerplek.registration.models import Activity, Category, Part, Room, ShiftPattern

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)


class SessionForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("Formal activity"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("Publishing reserves the participants on this activity."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the activity's title."),
    )
    hours = forms.DecimalField(
        label=_("Duration (hours)"), max_digits=4, decimal_places=2, min_value=0, max_value=8
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer"), queryset=Employee.objects.none(), required=False
    )
    room = forms.ModelChoiceField(
        label=_("Required room"),
        queryset=Room.objects.none(),
        required=False,
        help_text=_("Empty: any room with enough seats."),
    )
    earliest = forms.DateField(label=_("Earliest day"), widget=DATE, required=False)
    latest = forms.DateField(label=_("Latest day"), widget=DATE, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=Employee.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Employee.objects.active().filter(organisation=organisation)
        self.fields["activity"].queryset = Activity.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, category=Category.FORMAL
        ).order_by("-start_date", "title")
        self.fields["trainer"].queryset = people  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        self.fields["room"].queryset = Room.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class PeakForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )


class MinimumForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    shift = forms.ModelChoiceField(
        label=pgettext_lazy("unit kind", "Shift"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("Only the people of this shift count; empty: everyone of the unit."),
    )
    part = forms.ChoiceField(
        label=_("Part of the day"),
        choices=[("", _("Every part")), *Part.choices],
        required=False,
    )
    minimum = forms.IntegerField(label=_("Minimum present"), min_value=0, max_value=10_000)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(organisation=organisation)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["shift"].queryset = units.filter(kind=UnitKind.SHIFT)  # type: ignore[attr-defined]


WEEKDAYS = [
    ("monday", _("Monday")),
    ("tuesday", _("Tuesday")),
    ("wednesday", _("Wednesday")),
    ("thursday", _("Thursday")),
    ("friday", _("Friday")),
    ("saturday", _("Saturday")),
    ("sunday", _("Sunday")),
]


class PatternForm(forms.Form):
    """A shift pattern: a name, the shift unit it belongs to and, per weekday, the parts worked
    (check boxes early, late, night). `week()` gives the seven lists the service takes."""

    name = forms.CharField(label=_("Name"), max_length=120)
    shift = forms.ModelChoiceField(
        label=pgettext_lazy("unit kind", "Shift"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_(
            "The shift unit whose people work this pattern (it replaces that shift's former "
            "pattern). Empty: a pattern to give to people one by one."
        ),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation, kind=UnitKind.SHIFT
        )
        for key, label in WEEKDAYS:
            self.fields[key] = forms.MultipleChoiceField(
                label=label,
                choices=Part.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def week(self) -> list[list[str]]:
        return [list(self.cleaned_data.get(key) or []) for key, _label in WEEKDAYS]


def _weekly_hours(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=60,
        initial=0,
        help_text=_("Hours a week, with at most two decimals (0 to 60)."),
    )


class ProfileForm(forms.Form):
    """What the scheduler needs of one person beyond the register."""

    employee = forms.ModelChoiceField(label=_("Person"), queryset=Employee.objects.none())
    pattern = forms.ModelChoiceField(
        label=_("Own shift pattern"),
        queryset=ShiftPattern.objects.none(),
        required=False,
        help_text=_("Empty: the pattern of the person's shift, else the day shift."),
    )
    mentor_hours_per_week = _weekly_hours(_("Peter/meter hours per week"))
    community_hours_per_week = _weekly_hours(_("Community of practice hours per week"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = Employee.objects.active().filter(  # type: ignore[attr-defined]
            organisation=organisation
        )
        self.fields["pattern"].queryset = ShiftPattern.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation
        )


class AbsenceForm(forms.Form):
    """Days a trainer or participant cannot attend."""

    employee = forms.ModelChoiceField(label=_("Person"), queryset=Employee.objects.none())
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("E.g. leave, another training; the participants do not see it."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = Employee.objects.active().filter(  # type: ignore[attr-defined]
            organisation=organisation
        )
