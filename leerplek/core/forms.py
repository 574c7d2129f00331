"""The one form renderer: every field is drawn by `core/components/field.html`."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "core/components/form.html"
    field_template_name = "core/components/field.html"
