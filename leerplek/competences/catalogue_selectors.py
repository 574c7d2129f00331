"""Reads for the pages of competence groups and level scales, each in a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch

from leerplek.competences.models import (
    Assessment,
    CompetenceGroup,
    Level,
    LevelScale,
    Requirement,
    TrainingNeed,
)
from leerplek.competences.services import default_scale
from leerplek.people.models import Organisation


def group_list(*, organisation: Organisation) -> list[CompetenceGroup]:
    """The groups with their scale and number of competences (one query)."""
    return list(
        CompetenceGroup.objects.filter(organisation=organisation)
        .select_related("scale")
        .annotate(competence_count=Count("competences"))
        .order_by("name")
    )


@dataclass
class LevelRow:
    level: Level
    symbol: str  # an SVG path of the filled part of the circle; "" for empty, "full" for full


def symbol_path(fraction: float) -> str:
    """The filled sector of a 16 by 16 circle, clockwise from twelve o'clock, as in the familiar
    ILUO quarter circles: I a quarter, L half, U three quarters, O full."""
    if fraction <= 0:
        return ""
    if fraction >= 1:
        return "full"
    angle = 2 * math.pi * fraction
    x, y = 8 + 7 * math.sin(angle), 8 - 7 * math.cos(angle)
    large = 1 if fraction > 0.5 else 0
    return f"M8 8 L8 1 A7 7 0 {large} 1 {x:.2f} {y:.2f} Z"


@dataclass
class ScaleRow:
    scale: LevelScale
    levels: list[LevelRow]
    groups: list[CompetenceGroup]
    in_use: bool  # assessments, requirements or training needs use its levels


def level_rows(levels: list[Level]) -> list[LevelRow]:
    """Each level with its symbol: the share of the way from the lowest to the highest rank."""
    if not levels:
        return []
    low, high = levels[0].rank, levels[-1].rank
    span = high - low
    return [
        LevelRow(level, symbol_path((level.rank - low) / span if span else 1.0)) for level in levels
    ]


def scale_list(*, organisation: Organisation) -> list[ScaleRow]:
    """The organisation's scales, the default first, with their levels, the groups that use
    them and whether their levels are in use (four queries, after the default scale exists)."""
    default_scale(organisation)
    used = set(
        Level.objects.filter(scale__organisation=organisation)
        .filter(
            Exists(Assessment.objects.filter(level=OuterRef("pk")))
            | Exists(Requirement.objects.filter(level=OuterRef("pk")))
            | Exists(TrainingNeed.objects.filter(required_level=OuterRef("pk")))
        )
        .values_list("scale_id", flat=True)
        .distinct()
    )
    scales = (
        LevelScale.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("levels", queryset=Level.objects.order_by("rank")),
            Prefetch("groups", queryset=CompetenceGroup.objects.order_by("name")),
        )
        .order_by("-is_default", "name")
    )
    return [
        ScaleRow(
            scale,
            level_rows(list(scale.levels.all())),
            list(scale.groups.all()),
            scale.pk in used,
        )
        for scale in scales
    ]
