"""How audit records are shown and exported: times in the platform's zone with their offset,
and a streamed CSV that Excel opens with Chinese intact."""

import csv
import json
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils.translation import gettext

from .choices import AuditOutcome

#: Column headings, in order: time, actor, action, target type, target id, target, client
#: address, outcome, data.
CSV_HEADINGS = ("时间", "操作人", "操作", "对象类型", "对象编号", "对象", "来源地址", "结果", "详情")
CSV_FIELDS = ("occurred_at", "actor_label", "action", "target_type__app_label",
              "target_type__model", "target_id", "target_label", "client_address", "outcome",
              "data")
#: Rows fetched from the database at a time, and rows written per chunk of the response.
FETCH_SIZE = 2000
ROWS_PER_CHUNK = 500
BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def audit_zone() -> ZoneInfo:
    """The zone audit times are shown in: the platform's (Asia/Shanghai), whatever time zone
    the admin user chose for the rest of the admin."""
    return ZoneInfo(settings.TIME_ZONE)


def format_audit_time(moment: datetime) -> str:
    """``2026-11-22 09:30:05 +08:00``."""
    local = moment.astimezone(audit_zone())
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def iso_audit_time(moment: datetime) -> str:
    """``2026-11-22T09:30:05+08:00`` (ISO 8601 with the offset)."""
    return moment.astimezone(audit_zone()).isoformat(timespec="seconds")


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


class _Echo:
    """A file-like object whose ``write`` returns what it was given."""

    def write(self, value: str) -> str:
        return value


def csv_row(row: tuple, outcome_labels: dict[str, str]) -> list[str]:
    (occurred_at, actor, action, app_label, model, target_id, target_label, address, outcome,
     data) = row
    return [
        iso_audit_time(occurred_at),
        safe_cell(actor or ""),
        safe_cell(action or ""),
        f"{app_label}.{model}" if app_label else "",
        safe_cell(target_id or ""),
        safe_cell(target_label or ""),
        address or "",
        outcome_labels.get(outcome, outcome),
        json.dumps(data or {}, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder),
    ]


def stream_csv(queryset: QuerySet) -> Iterator[str]:
    """The records of ``queryset`` as CSV text, a chunk at a time: a database cursor is read
    ``FETCH_SIZE`` rows at a time (``.iterator()``), so no more than that is ever held, however
    many rows are exported. The first chunk starts with a UTF-8 byte order mark for Excel."""
    writer = csv.writer(_Echo())
    outcome_labels = {value: gettext(str(label)) for value, label in AuditOutcome.choices}
    yield BOM + writer.writerow(CSV_HEADINGS)
    chunk = []
    for row in queryset.values_list(*CSV_FIELDS).iterator(chunk_size=FETCH_SIZE):
        chunk.append(writer.writerow(csv_row(row, outcome_labels)))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
