"""信息处理费 (条例 第四十二条; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》), 按件计收.

Per applicant per calendar month: applications 1 to 10 are free; 11 to 30 cost 100 yuan each;
from the 31st, each further band of 10 applications costs 100 yuan more per application
(31-40: 200 each, 41-50: 300 each, ...).
"""

from dataclasses import dataclass
from decimal import Decimal

FEE_SOURCE = "国办函〔2020〕109号《政府信息公开信息处理费管理办法》第四条"


@dataclass(frozen=True)
class FeeBand:
    first: int  # the first application (of the month) in the band
    last: int | None  # None: the open-ended rule above the last fixed band
    yuan_each: int


FREE_APPLICATIONS = 10
FIRST_CHARGED_BAND = FeeBand(first=11, last=30, yuan_each=100)
BAND_SIZE_ABOVE_30 = 10
STEP_ABOVE_30_YUAN = 100


def fee_for(ordinal: int) -> Decimal:
    """The fee in yuan of the applicant's ``ordinal``-th application of the month (1-based),
    by the 按件计收 rule of 国办函〔2020〕109号 第四条."""
    if isinstance(ordinal, bool) or not isinstance(ordinal, int) or ordinal < 1:
        raise ValueError(f"ordinal must be 1 or more, not {ordinal!r}")
    if ordinal <= FREE_APPLICATIONS:
        return Decimal(0)
    if ordinal <= FIRST_CHARGED_BAND.last:
        return Decimal(FIRST_CHARGED_BAND.yuan_each)
    bands_above = (ordinal - FIRST_CHARGED_BAND.last - 1) // BAND_SIZE_ABOVE_30 + 1
    return Decimal(FIRST_CHARGED_BAND.yuan_each + STEP_ABOVE_30_YUAN * bands_above)
