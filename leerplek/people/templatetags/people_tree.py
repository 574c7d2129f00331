"""The unit tree, written in Python: a recursive template include per unit is slow for the
hundreds of units of a large organisation."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from leerplek.people.selectors import UnitNode

register = template.Library()


def _node(node: UnitNode, url_prefix: str) -> SafeString:
    unit = node.unit
    facts = [str(unit.get_kind_display())]
    if node.total:
        facts.append(ngettext("%(n)s person", "%(n)s people", node.total) % {"n": node.total})
    if unit.leader is not None:
        facts.append(str(unit.leader))
    children = (
        format_html(
            "<ul>{}</ul>",
            format_html_join("", "{}", ((_node(c, url_prefix),) for c in node.children)),
        )
        if node.children
        else ""
    )
    return format_html(
        '<li><a href="{}{}/">{}</a> <span class="kind">{}</span>{}</li>',
        url_prefix,
        unit.pk,
        unit.name,
        " · ".join(facts),
        children,
    )


@register.simple_tag
def unit_tree(nodes: list[UnitNode]) -> SafeString:
    # One reverse() for the whole tree; every unit's address is the prefix plus its id.
    url_prefix = reverse("people:unit-detail", kwargs={"unit_id": 0})[: -len("0/")]
    return format_html_join("", "{}", ((_node(node, url_prefix),) for node in nodes))
