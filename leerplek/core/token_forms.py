"""The form to name a new personal API token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from leerplek.core.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("Say what uses the token, e.g. payroll export, so you know what to revoke."),
    )
