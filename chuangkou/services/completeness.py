"""办事指南要素完整: which key elements of a service guide an item lacks.

The elements are those of regulations.md §6 (办事指南 elements) that the national inspection
indicators check as "办事指南要素完整" (政府网站与政务新媒体检查指标, 国办秘函〔2019〕19号, and the
政务服务事项 guide standard): 设定依据, 受理条件, 申请材料, 办理流程, 办理地点, 办理时间, 法定时限,
承诺时限, 收费标准, 咨询电话 and 监督投诉电话. Name, code, kind and implementing body are
required by the model itself, so they never go missing here.

Pure functions over anything shaped like an item (a ``ServiceItem``, a ``ServiceItemData`` or an
import row) with its lists passed in, so the admin list (prefetched rows) and the import report
(rows not yet saved) share one rule.
"""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from .choices import ServiceItemKind

__all__ = ["KEY_ELEMENTS", "is_complete", "missing_elements"]

SOURCE = "regulations.md §6; 国办秘函〔2019〕19号 办事指南要素完整"

# In the order a guide presents them.
KEY_ELEMENTS = ("设定依据", "受理条件", "申请材料", "办理流程", "办理地点", "办理时间", "法定时限",
                "承诺时限", "收费标准", "咨询电话", "监督投诉电话")


def _text(item: Any, name: str) -> str:
    return str(getattr(item, name, "") or "").strip()


def missing_elements(item: Any, *, materials: Sequence[Any], steps: Sequence[Any]) -> list[str]:
    """The Chinese names of the key guide elements ``item`` lacks, in guide order.

    - 申请材料: at least one material.
    - 办理流程: at least one step, or a written description of the process.
    - 法定时限: may be left empty (the law sets none) only for 公共服务 items; every
      administrative power has a statutory limit.
    - 承诺时限: always present (0 means 即办件, decided on the spot).
    - 收费标准: needed only when the item charges a fee.
    """
    missing = []
    if not _text(item, "legal_basis"):
        missing.append(_("设定依据"))
    if not _text(item, "acceptance_conditions"):
        missing.append(_("受理条件"))
    if not list(materials):
        missing.append(_("申请材料"))
    if not list(steps) and not _text(item, "process_description"):
        missing.append(_("办理流程"))
    if not _text(item, "place"):
        missing.append(_("办理地点"))
    if not _text(item, "office_hours"):
        missing.append(_("办理时间"))
    if (getattr(item, "legal_time_limit_days", None) is None
            and getattr(item, "kind", "") != ServiceItemKind.PUBLIC_SERVICE):
        missing.append(_("法定时限"))
    if getattr(item, "charges_fee", False) and not _text(item, "fee_standard"):
        missing.append(_("收费标准"))
    if not _text(item, "consultation_phone"):
        missing.append(_("咨询电话"))
    if not _text(item, "complaint_phone"):
        missing.append(_("监督投诉电话"))
    return missing


def is_complete(item: Any, *, materials: Sequence[Any], steps: Sequence[Any]) -> bool:
    return not missing_elements(item, materials=materials, steps=steps)
