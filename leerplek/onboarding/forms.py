"""Input shapes for the onboarding pages. Business rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from leerplek.core.forms import FastSelect
from leerplek.onboarding.models import (
    ConsultationBody,
    OnboardingReason,
    OnboardingStatus,
    OnboardingTemplate,
    TemplateTask,
)
from leerplek.onboarding.selectors import PersonChoices
from leerplek.people.forms import DateInput, OrganisationScopedForm


class TemplateForm(OrganisationScopedForm):
    class Meta:
        model = OnboardingTemplate
        fields = ["name", "job", "description", "duration_months", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TemplateTaskForm(forms.ModelForm):
    class Meta:
        model = TemplateTask
        fields = [
            "section",
            "title",
            "owner",
            "offset_days",
            "duration_days",
            "how",
            "on_work_floor",
            "position",
        ]
        widgets = {"how": forms.Textarea(attrs={"rows": 3})}


class ApprovalForm(forms.Form):
    body = forms.ChoiceField(label=_("Consultation body"), choices=ConsultationBody.choices)
    meeting_date = forms.DateField(label=_("Meeting date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OnboardingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *OnboardingStatus.choices],
    )
    without_guide = forms.BooleanField(label=_("Only without peter/meter"), required=False)


# --- Person pickers ------------------------------------------------------------------------------


def picker_options(people: PersonChoices, value: Any = None) -> SafeString:
    """The options of a person picker: a first, empty one that says what the list holds, then
    the people. Also the answer of the search endpoints, which htmx swaps into the select."""
    count = len(people.choices)
    if people.more:
        status = gettext("First %(count)s shown: type to find others")
    elif people.query and not count:
        status = gettext("Nobody found for “%(query)s”")
    elif people.query:
        status = ngettext(
            "%(count)s person found for “%(query)s”",
            "%(count)s people found for “%(query)s”",
            count,
        )
    else:
        status = gettext("Choose a person")
    label = status % {"count": count, "query": people.query}
    chosen = str(value) if value not in (None, "") else ""
    return format_html(
        '<option value="">{}</option>{}',
        label,
        format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (pk, mark_safe(" selected") if str(pk) == chosen else "", name)
                for pk, name in people.choices
            ),
        ),
    )


class PersonPicker(forms.Select):
    """A searchable person picker: a search box (with htmx, typing refreshes the list in place
    from `search_url`; without scripts, its Search button posts the form back to refresh it)
    above a select of at most `PICKER_LIMIT` matches.

    The select's name is the field's; the search box is `<name>_q`."""

    people = PersonChoices([])
    search_url = ""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        select_id = final_attrs.get("id", f"id_{name}")
        search_attrs = {
            "type": "search",
            "name": f"{name}_q",
            "id": f"{select_id}_q",
            "value": self.people.query,
            "placeholder": gettext("Name or personnel number"),
            "aria-label": gettext("Search people by name or personnel number"),
            "aria-controls": select_id,
            "autocomplete": "off",
            "maxlength": "100",
        }
        if self.search_url:
            search_attrs.update(
                {
                    "hx-get": self.search_url,
                    "hx-trigger": "input changed delay:300ms, search",
                    "hx-target": f"#{select_id}",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:replace",
                }
            )
        return format_html(
            '<div class="person-picker"><div role="group"><input{}>'
            '<button type="submit" name="_search" value="{}" class="secondary" formnovalidate>'
            "{}</button></div><select{}>{}</select></div>",
            flatatt(search_attrs),
            name,
            gettext("Search"),
            flatatt(final_attrs),
            picker_options(self.people, value),
        )


def use_picker(field: forms.Field, people: PersonChoices, search_url: str) -> None:
    """Offer `people` in `field` (a TypedChoiceField with a PersonPicker)."""
    field.choices = [("", ""), *people.choices]  # type: ignore[attr-defined]
    field.widget.people = people
    field.widget.search_url = search_url


class StartForm(forms.Form):
    employee = forms.TypedChoiceField(
        label=_("Newcomer"),
        coerce=int,
        widget=PersonPicker,
        help_text=_("People without a running onboarding, latest hired first."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=OnboardingReason.choices)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    organiser = forms.TypedChoiceField(
        label=_("Organiser of the welcome"),
        coerce=int,
        widget=FastSelect,
        help_text=_(
            "A member of the hierarchical line who organises the welcome and signs the "
            "welcome record."
        ),
    )

    def __init__(
        self,
        *args: Any,
        people: PersonChoices,
        organisers: list[tuple[int, str]],
        search_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        use_picker(self.fields["employee"], people, search_url)
        self.fields["organiser"].choices = [("", "---------"), *organisers]  # type: ignore[attr-defined]
        self.fields["start_date"].initial = timezone.localdate()


class GuideForm(forms.Form):
    guide = forms.TypedChoiceField(
        label=_("Peter/meter"),
        coerce=int,
        widget=PersonPicker,
        help_text=_(
            "An experienced colleague, those of the newcomer's unit first; the number shows how "
            "many newcomers each guides."
        ),
    )
    is_backup = forms.BooleanField(
        label=_("Backup (stands in when the peter/meter is absent)"), required=False
    )
    reason = forms.CharField(
        label=_("Why this colleague"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, people: PersonChoices, search_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        use_picker(self.fields["guide"], people, search_url)
