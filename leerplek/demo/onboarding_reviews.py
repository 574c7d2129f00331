"""Demo data for the onboarding area 'reviews' (issue #5), for the demo's onboarding builder."""

from __future__ import annotations

from typing import Any


def build(builder: Any) -> None:
    """Add this area's part of the demo story; `builder` is demo.builder._OnboardingBuilder."""
