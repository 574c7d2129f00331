"""Template filters used across Leerplek."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    """Show an amount in euro cents as euros, e.g. 123456 → € 1.234,56 in Dutch."""
    if cents is None:
        return ""
    return "€ " + number_format(Decimal(cents) / 100, decimal_pos=2, force_grouping=True)


@register.filter
def hours(value: Decimal | None) -> str:
    if value is None:
        return ""
    return number_format(value, decimal_pos=2)
