"""The registration API: the social balance's training section (docs/api.md, "Registration").

`GET /registration/social-balance/{year}`: the 24 figures of the financial year ending in
`year`, keyed by code, as text ("2", "1285.00"); the frozen figures of a closed year (with the
codes whose live value now differs), the live ones of an open year. Aggregates only: whoever may
see the worksheet (HR, the consultation body) may read them.
"""

import datetime
from typing import Annotated, Any

from ninja import Path, Router, Schema
from pydantic import Field

from leerplek.core.http import OrganisationHttpRequest
from leerplek.people.api import ERROR_RESPONSES, require
from leerplek.registration import selectors_sb
from leerplek.registration.models import FinancialYear

router = Router(tags=["registration"])


class SocialBalanceLineOut(Schema):
    code: str
    category: str = Field(description="formal, informal or initial")
    line: str = Field(description="workers, hours, net, gross, contributions or subsidies")
    column: str = Field(description="m (men) or f (women)")
    label: str
    value: str


class SocialBalanceOut(Schema):
    year: int
    start: datetime.date
    end: datetime.date
    closed: bool
    figures: dict[str, str] = Field(description="The 24 figures keyed by their code.")
    lines: list[SocialBalanceLineOut]
    differ: list[str] = Field(
        description="Codes of a closed year whose live value differs from the frozen one."
    )


@router.get(
    "/registration/social-balance/{year}",
    response={200: SocialBalanceOut, **ERROR_RESPONSES},
    summary="The social balance's 24 training figures of a financial year",
)
def social_balance(
    request: OrganisationHttpRequest,
    year: Annotated[int, Path(ge=1990, le=2200, description="The calendar year it ends in.")],
) -> dict[str, Any]:
    require(request, "registration.view_social_balance")
    balance = selectors_sb.social_balance(request.organisation, year)
    record = FinancialYear.objects.filter(
        organisation_id=request.organisation.pk, end_date=balance.end
    ).first()
    live = balance.as_strings()
    closed = record is not None and record.is_closed and bool(record.figures)
    figures = (
        {code: str(record.figures.get(code, "")) for code in live}
        if closed and record is not None
        else live
    )
    return {
        "year": year,
        "start": balance.start,
        "end": balance.end,
        "closed": closed,
        "figures": figures,
        "lines": [
            {
                "code": code,
                "category": category,
                "line": line,
                "column": column,
                "label": str(selectors_sb.LINE_LABELS[line]),
                "value": figures[code],
            }
            for code, (category, line, column) in selectors_sb.CODE_INDEX.items()
        ],
        "differ": [code for code in live if figures[code] != live[code]],
    }
