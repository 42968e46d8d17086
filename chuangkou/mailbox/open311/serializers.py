"""Open311 GeoReport v2 representations of services, service definitions, letters (service
requests), discovery and errors, as plain data the renderers turn into JSON or XML.

What a service request shows of a letter (personal data never; the letter's text only once the
writer agreed and staff published the masked copy):

- every letter: service_request_id (the letter number), status (open / closed: ANSWERED,
  MERGED and REFUSED are closed), status_notes (a generic note of the status), service_code,
  service_name, requested_datetime (来信时间), updated_datetime (for closed letters the day it
  was closed), expected_datetime (the end of the due date 答复期限, when assigned);
- a published letter also: description (the published, masked content), status_notes = the
  published (masked) reply, agency_responsible (the body that answered), lat/long rounded to
  three decimals (about 100 m, so that a published letter does not point at a home).
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import CLOSED_STATUSES, LetterStatus
from ..models import Letter
from .services import Service, service_code_of

__all__ = [
    "DESCRIPTION_MAX_CHARS",
    "SPECIFICATION",
    "discovery_data",
    "error_data",
    "request_data",
    "service_data",
    "service_definition_data",
    "submitted_data",
]

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
DESCRIPTION_MAX_CHARS = 4000  # GeoReport v2: "free form text limited to 4,000 characters"
COORDINATE_PLACES = Decimal("0.001")
MAY_PUBLISH_VALUES = (("1", gettext_lazy("同意公开（个人信息隐去）")), ("0", gettext_lazy("不同意公开")))


def w3_datetime(moment: datetime | None) -> str | None:
    """ISO 8601 with the local offset (``2026-03-02T09:30:00+08:00``), as the spec requires."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _end_of_day(day) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def service_data(service: Service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": True,  # the optional attributes title and may_publish
        # realtime: the service_request_id (letter number) is returned at once, no token.
        "type": "realtime",
        "keywords": service.keywords,
        "group": service.group,
    }


def service_definition_data(service: Service) -> dict:
    """The two optional attributes a letter takes beyond description and contact details."""
    return {
        "service_code": service.code,
        "attributes": [
            {
                "variable": True,
                "code": "title",
                "datatype": "string",
                "required": False,
                "datatype_description": _("不超过100个字；不填时取内容的前30个字。"),
                "order": 1,
                "description": _("信件标题"),
            },
            {
                "variable": True,
                "code": "may_publish",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("不填视为不同意公开。"),
                "order": 2,
                "description": _("是否同意公开信件和答复（公开时隐去个人信息）"),
                "values": [{"key": key, "name": str(name)} for key, name in MAY_PUBLISH_VALUES],
            },
        ],
    }


STATUS_NOTES = {
    LetterStatus.HELD: gettext_lazy("来信已收到，正在受理。"),
    LetterStatus.AWAITING_DISPATCH: gettext_lazy("来信已受理，正在分办。"),
    LetterStatus.IN_PROGRESS: gettext_lazy("来信正在办理。"),
    LetterStatus.IN_REVIEW: gettext_lazy("答复正在审核。"),
    LetterStatus.ANSWERED: gettext_lazy("来信已答复。"),
    LetterStatus.MERGED: gettext_lazy("来信与内容相同的来信合并办理。"),
    LetterStatus.REFUSED: gettext_lazy("来信不予受理。"),
}


def is_public(letter: Letter) -> bool:
    return bool(letter.is_published and letter.may_publish)


def _truncated(text: str, limit: int = DESCRIPTION_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _coordinate(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(value).quantize(COORDINATE_PLACES, ROUND_HALF_UP))


def updated_moment(letter: Letter) -> datetime:
    if letter.status == LetterStatus.ANSWERED and letter.answered_at:
        return letter.answered_at
    return letter.updated_at or letter.submitted_at


def request_data(letter: Letter) -> dict:
    """One letter as a service request (needs ``kind``, ``addressed_body`` and
    ``assigned_body`` loaded)."""
    public = is_public(letter)
    data = {
        "service_request_id": letter.number,
        "status": "closed" if letter.status in CLOSED_STATUSES else "open",
        "status_notes": (letter.published_reply if public and letter.published_reply
                         else str(STATUS_NOTES[letter.status])),
        "service_name": f"{letter.kind.name} · "
                        f"{letter.addressed_body.name if letter.addressed_body else _('不确定')}",
        "service_code": service_code_of(letter.kind, letter.addressed_body),
    }
    if public:
        data["description"] = _truncated(letter.published_content or "")
        data["agency_responsible"] = (letter.assigned_body.name if letter.assigned_body
                                      else None)
    data["requested_datetime"] = w3_datetime(letter.submitted_at)
    data["updated_datetime"] = w3_datetime(updated_moment(letter))
    data["expected_datetime"] = w3_datetime(_end_of_day(letter.due_on))
    if public and letter.latitude is not None and letter.longitude is not None:
        data["lat"] = _coordinate(letter.latitude)
        data["long"] = _coordinate(letter.longitude)
    return data


def submitted_data(letter: Letter, *, reply_working_days: int) -> dict:
    """The answer to POST requests: the letter number (no token: the number is immediate)."""
    return {
        "service_request_id": letter.number,
        "service_notice": _("来信已收到，信件编号 %(number)s，一般在%(days)d个工作日内答复；"
                            "可凭信件编号查询办理状态。") % {
            "number": letter.number, "days": reply_working_days},
        "account_id": None,
    }


def discovery_data(*, base_url: str, changeset: str, contact: str, key_service: str) -> dict:
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": base_url,
            "changeset": changeset,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }


def error_data(errors: list[tuple[int, str]]) -> list[dict]:
    return [{"code": code, "description": description} for code, description in errors]
