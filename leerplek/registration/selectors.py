"""Reads of the registration core. The social balance's training section (the 24 figures, the
records behind them, the financial years) lives in `selectors_sb`; its names are kept here for
the code that imports them from the core (the demo, the benchmarks, older tests)."""

from __future__ import annotations

from leerplek.registration.selectors_sb import (
    CATEGORY_LINES,
    CATEGORY_TITLES,
    CODE_INDEX,
    CODES,
    COLUMNS,
    LINE_LABELS,
    Figure,
    SocialBalance,
    SocialBalanceBlock,
    SocialBalanceLine,
    cost_lines_behind,
    counted_participations,
    left_out,
    sb_setting,
    social_balance,
    unstated_column,
    years_of,
)

_setting = sb_setting

__all__ = [
    "CATEGORY_LINES",
    "CATEGORY_TITLES",
    "CODES",
    "CODE_INDEX",
    "COLUMNS",
    "LINE_LABELS",
    "Figure",
    "SocialBalance",
    "SocialBalanceBlock",
    "SocialBalanceLine",
    "cost_lines_behind",
    "counted_participations",
    "left_out",
    "social_balance",
    "unstated_column",
    "years_of",
]
