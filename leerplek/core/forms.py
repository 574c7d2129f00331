"""The one form renderer: every field is drawn by `core/components/field.html`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class FormRenderer(TemplatesSetting):
    form_template_name = "core/components/form.html"
    field_template_name = "core/components/field.html"


class FastSelect(forms.Select):
    """A select box whose options are written in Python.

    Django draws each option through a template, about a fifth of a millisecond apiece; filter
    forms and person forms list hundreds of units and functions, or thousands of people.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, mark_safe(" selected") if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)
