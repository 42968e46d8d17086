"""Time limits of 依申请公开, as data with their sources, and the pure functions that apply them.

Every period is counted on the shared working-day calendar (``chuangkou.core.calendar``):
the day the period starts is day 0 and is not counted, weekends and statutory holidays are
skipped and make-up working days (调休上班) count.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from chuangkou.core.calendar import StatutoryPeriod, WorkingCalendar, add_working_days

REPLY_PERIOD = StatutoryPeriod(working_days=20, source="政府信息公开条例 第三十三条第二款")
EXTENSION_LIMIT = StatutoryPeriod(working_days=20, source="政府信息公开条例 第三十三条第二款")
CORRECTION_NOTICE_PERIOD = StatutoryPeriod(working_days=7, source="政府信息公开条例 第三十条")
THIRD_PARTY_PERIOD = StatutoryPeriod(working_days=15, source="政府信息公开条例 第三十二条")
FEE_PAYMENT_PERIOD = StatutoryPeriod(
    working_days=20, source="国办函〔2020〕109号《政府信息公开信息处理费管理办法》第八条")
# 条例 第三十条 says only "合理的补正期限"; 15 working days is common local practice.
CORRECTION_REPLY_SOURCE = "政府信息公开条例 第三十条（合理期限，本地实践，可配置）"
DEFAULT_CORRECTION_REPLY_WORKING_DAYS = 15
DEFAULT_REMINDER_WORKING_DAYS = 3


def correction_reply_period() -> StatutoryPeriod:
    """The 补正 period given to the applicant (setting ``DISCLOSURE_CORRECTION_PERIOD_WORKING_DAYS``;
    the law asks for a reasonable period, 条例 第三十条)."""
    days = getattr(settings, "DISCLOSURE_CORRECTION_PERIOD_WORKING_DAYS",
                   DEFAULT_CORRECTION_REPLY_WORKING_DAYS)
    return StatutoryPeriod(working_days=days, source=CORRECTION_REPLY_SOURCE)


def reminder_working_days() -> int:
    """How many working days before the reply deadline the handler is reminded (practice)."""
    return getattr(settings, "DISCLOSURE_REMINDER_WORKING_DAYS", DEFAULT_REMINDER_WORKING_DAYS)


@dataclass(frozen=True, kw_only=True)
class ApplicationTimeline:
    """What the reply deadline depends on: when the clock (re)started, the working days it
    stood still, and an approved extension."""

    clock_started_on: date
    paused_working_days: int = 0
    extension_working_days: int = 0


def reply_due(timeline: ApplicationTimeline, *, calendar: WorkingCalendar) -> date:
    """The reply deadline (条例 第三十三条第二款): 20 working days from receipt, counted again
    from the corrected application after a 补正 (第三十条), not counting third-party
    consultation (第三十二条) or the time a fee notice waits for payment (国办函〔2020〕109号),
    plus an approved extension of at most 20 working days."""
    if timeline.extension_working_days > EXTENSION_LIMIT.working_days:
        raise ValueError("an extension is at most 20 working days (条例 第三十三条)")
    total = (REPLY_PERIOD.working_days + timeline.paused_working_days
             + timeline.extension_working_days)
    return add_working_days(timeline.clock_started_on, total, calendar=calendar)


def correction_notice_deadline(received_on: date, *, calendar: WorkingCalendar) -> date:
    """The last day a 补正 may be asked for: 7 working days after receipt (条例 第三十条)."""
    return add_working_days(received_on, CORRECTION_NOTICE_PERIOD.working_days, calendar=calendar)


def correction_reply_due(requested_on: date, *, calendar: WorkingCalendar) -> date:
    """The last day the applicant may send the corrected application (条例 第三十条)."""
    return add_working_days(requested_on, correction_reply_period().working_days,
                            calendar=calendar)


def fee_payment_due(notified_on: date, *, calendar: WorkingCalendar) -> date:
    """The last day to pay the information processing fee: 20 working days after the notice
    (国办函〔2020〕109号)."""
    return add_working_days(notified_on, FEE_PAYMENT_PERIOD.working_days, calendar=calendar)


def third_party_reply_due(asked_on: date, *, calendar: WorkingCalendar) -> date:
    """The last day a consulted third party may answer (条例 第三十二条)."""
    return add_working_days(asked_on, THIRD_PARTY_PERIOD.working_days, calendar=calendar)


def reminder_date(due_on: date, *, calendar: WorkingCalendar) -> date:
    """The working day from which the handler is reminded: ``reminder_working_days()`` working
    days before ``due_on`` (the calendar walked backwards)."""
    day, counted = due_on, 0
    while counted < reminder_working_days():
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day
