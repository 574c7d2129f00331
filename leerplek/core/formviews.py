"""The form-page pattern every app's views share: validate, call one service, show errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def save_with(form: BaseForm, write: Any) -> Any:
    """Run a service with the form's data; put its errors on the form. None when it failed."""
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)  # the service keys errors by field name
        return None


def fresh_copy(obj: Any) -> Any:
    """A separate copy for the form: a ModelForm writes into its instance while validating, and
    the service must still see the values before the change (for the audit log)."""
    return type(obj).objects.get(pk=obj.pk)


def form_page(
    request: HttpRequest,
    form: BaseForm,
    context: dict[str, Any],
    template: str = "core/form_page.html",
) -> HttpResponse:
    """The shared page around one form; 422 when the submitted form has errors.

    `context` holds `title`, and `cancel_url` (a URL name) or `back_url` (a URL); optionally
    `intro`, `submit` (the button's label), `danger` (a red button) and `stylesheet` (a static
    path). A `template` that extends core/form_page.html adds its own block `before_form`."""
    status = 422 if form.is_bound and form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)
