"""网上办事 demo: the bodies and service staff of 示例市 and a catalogue of real service items.

``load_services_demo`` is idempotent: bodies are keyed on slug, accounts on username and items
on 事项编码 (the catalogue goes through ``catalogue_io.import_catalogue``, so a second run
reports every item unchanged). It then calls, when they exist, the demo loaders of the other
parts: ``guides``, ``applications``, ``bookings``, ``ratings`` and ``citizens`` (the demo
citizens' own applications, booking and customisation; each ``load_<part>_demo``).
"""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from .catalogue import load_catalogue_demo
from .people import (
    SERVICE_ACCOUNTS,
    ensure_bodies,
    ensure_service_accounts,
    services_accounts_table,
)

__all__ = ["DEMO_PARTS", "SERVICE_ACCOUNTS", "ServicesDemoSummary", "load_services_demo",
           "services_accounts_table"]

# (module under services.demo, its loader)
DEMO_PARTS = (
    ("guides", "load_guides_demo"),
    ("applications", "load_applications_demo"),
    ("bookings", "load_bookings_demo"),
    ("ratings", "load_ratings_demo"),
    ("citizens", "load_citizens_demo"),
)


@dataclass
class ServicesDemoSummary:
    bodies_created: int = 0
    accounts_created: int = 0
    items_created: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    parts: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [
            f"网上办事演示数据：新建单位 {self.bodies_created} 个，新建账号 {self.accounts_created} 个；"
            f"事项新增 {self.items_created} 项，更新 {self.items_updated} 项，"
            f"未变 {self.items_unchanged} 项。"]
        lines += [f"  {name}：{outcome}" for name, outcome in self.parts.items()]
        return "\n".join(lines)


def _write(stdout) -> Callable[[str], None]:
    return stdout.write if stdout is not None else (lambda message: None)


def load_services_demo(*, stdout=None) -> ServicesDemoSummary:
    """Build (or complete) the services demo; safe to run any number of times."""
    write = _write(stdout)
    summary = ServicesDemoSummary()
    with transaction.atomic():
        bodies, summary.bodies_created = ensure_bodies()
        summary.accounts_created = ensure_service_accounts(bodies)
        report = load_catalogue_demo()
        summary.items_created = report.created
        summary.items_updated = report.updated
        summary.items_unchanged = report.unchanged
    for module_name, loader_name in DEMO_PARTS:
        qualified = f"{__name__}.{module_name}"
        if importlib.util.find_spec(qualified) is None:
            summary.parts[module_name] = "跳过（该部分的演示数据尚未提供）"
            write(f"跳过 {qualified}：模块不存在。")
            continue
        loader = getattr(importlib.import_module(qualified), loader_name, None)
        if loader is None:
            summary.parts[module_name] = f"跳过（没有 {loader_name}）"
            write(f"跳过 {qualified}：没有 {loader_name}。")
            continue
        result = loader(stdout=stdout) if _takes_stdout(loader) else loader()
        summary.parts[module_name] = "已载入" if result is None else str(result)
    return summary


def _takes_stdout(function) -> bool:
    import inspect

    try:
        return "stdout" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
