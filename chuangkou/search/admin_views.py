"""The two read-only screens of the search admin: 检索统计 (what citizens searched for, what
found nothing, what they followed) and 索引状态 (this machine's index replica), and the mixin
that gives the search screens a real 403.

The statistics hold counts per normalised query and day only (no address, account or session),
but a query can itself be personal (a name, an ID number typed into the search box), so the
screen is for the holders of ``search.view_querystatistic`` only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import forbidden

from . import queries, replica
from .admin_forms import StatisticsPeriodForm
from .engine import get_store

__all__ = [
    "INDEX_STATUS_PERMISSION",
    "REBUILD_COMMAND",
    "STATISTICS_PERMISSION",
    "IndexStatus",
    "IndexStatusView",
    "RealForbiddenMixin",
    "StatisticsView",
    "index_status",
    "percentage",
]

logger = logging.getLogger("chuangkou.search.admin")

STATISTICS_PERMISSION = "search.view_querystatistic"
# The status screen shows the change log (索引变更) and what this replica made of it.
INDEX_STATUS_PERMISSION = "search.view_indexchange"
REBUILD_COMMAND = "python manage.py rebuild_search_index"
FOLLOW_COMMAND = "python manage.py follow_search_changes"
TOP_QUERIES_SHOWN = 50


def percentage(rate: float | None) -> str:
    """A rate as the screens show it (12.5%); no rate (nothing searched) is a dash."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%"


class RealForbiddenMixin:
    """Wagtail's admin turns a refused permission into a redirect to the dashboard with a
    message; the search screens answer a real 403 instead, like the rest of the platform's
    screens, so a refusal is never mistaken for success."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)


class PermissionScreenMixin:
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_active or not request.user.has_perm(self.permission):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


@dataclass(frozen=True)
class QueryRow:
    query: str
    searches: int
    zero_result_searches: int
    clicks: int
    click_through: str


class StatisticsView(PermissionScreenMixin, WagtailAdminTemplateMixin, TemplateView):
    """检索统计 for the last 7, 30 or 90 days (``?days=``; anything else is refused with 400)."""

    permission = STATISTICS_PERMISSION
    template_name = "search/admin/statistics.html"
    page_title = gettext_lazy("检索统计")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        form = StatisticsPeriodForm(request.GET)
        context = self.get_context_data(form=form, **kwargs)
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        days = form.cleaned_data["days"]
        totals = queries.click_through_report(days=days)
        top = [QueryRow(query=row["query"], searches=row["total_searches"] or 0,
                        zero_result_searches=row["total_zero"] or 0,
                        clicks=row["total_clicks"] or 0,
                        click_through=percentage(row["click_through"]))
               for row in queries.top_queries(days=days, limit=TOP_QUERIES_SHOWN)]
        zero = list(queries.zero_result_queries(days=days, limit=TOP_QUERIES_SHOWN))
        context.update(
            days=days, totals=totals, top_queries=top, zero_result_queries=zero,
            zero_result_rate=percentage(totals["zero_result_rate"] if totals["searches"]
                                        else None),
            click_through=percentage(totals["click_through"] if totals["searches"] else None),
            shown=TOP_QUERIES_SHOWN)
        return self.render_to_response(context)


@dataclass(frozen=True)
class IndexStatus:
    """What the status screen shows of this machine's replica; ``problem`` says why the index
    could not be read (the figures it could not get are None)."""

    root: Path
    generation: Path | None
    documents: int | None
    pending_changes: int | None
    applied_through: int | None
    latest_change: int
    waiting_gaps: int | None
    problem: str = ""


def index_status() -> IndexStatus:
    """Read this machine's replica (the engine creates an empty index when there is none; it
    never applies or rebuilds anything here). The screen exists to diagnose a broken index (a
    directory that is missing, unreadable or half-written), so whatever the engine raises is
    reported on the screen and logged, never a 500."""
    root = Path(settings.SEARCH_INDEX_DIR)
    latest = replica.latest_change_id()
    try:
        store = get_store()
        state = replica.ReplicaState.load(store.root)
        index = store.current()
        return IndexStatus(root=root, generation=Path(index.path), documents=index.count(),
                           pending_changes=replica.pending_change_count(store=store),
                           applied_through=state.cursor, latest_change=latest,
                           waiting_gaps=len(state.gaps))
    except Exception as error:
        logger.exception("search index status could not be read")
        return IndexStatus(root=root, generation=None, documents=None, pending_changes=None,
                           applied_through=None, latest_change=latest, waiting_gaps=None,
                           problem=f"{type(error).__name__}: {error}")


class IndexStatusView(PermissionScreenMixin, WagtailAdminTemplateMixin, TemplateView):
    """索引状态: read-only; rebuilding is a command on the server, not a button."""

    permission = INDEX_STATUS_PERMISSION
    template_name = "search/admin/index_status.html"
    page_title = gettext_lazy("索引状态")
    header_icon = "info-circle"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(status=index_status(), rebuild_command=REBUILD_COMMAND,
                       follow_command=FOLLOW_COMMAND,
                       applies_after_commit=settings.SEARCH_APPLY_AFTER_COMMIT,
                       rebuild_note=_("重建时先在新目录建立完整索引再切换，检索不中断；"
                                      "重建期间的变更随后按变更记录补上。"))
        return context
