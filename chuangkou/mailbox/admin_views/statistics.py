"""信件统计 in the Wagtail admin (supervisors and dispatchers): per body, kind and month for a
chosen year, the XLSX export (audited), and the "超过3个月未答复" list of the national
inspection indicators. Each user sees the bodies at or below their own; the city's staff see
every body, and the letters not yet assigned (未分办)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import forbidden
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import bodies_at_or_below, bodies_of

from .. import actions
from ..forms import admin as admin_forms
from ..queries import statistics as queries
from .letters import SCOPE_ROLES

STATISTICS_PERMISSIONS = ("mailbox.supervise_letter", "mailbox.dispatch_letter")
UNANSWERED_SHOWN = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_see_statistics(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and any(user.has_perm(name) for name in STATISTICS_PERMISSIONS))


def statistics_bodies(user):
    """The bodies whose statistics ``user`` sees: theirs and every body below."""
    if user.is_superuser:
        return Body.objects.order_by("path")
    return bodies_at_or_below(user, roles=SCOPE_ROLES)


def covers_every_body(user) -> bool:
    return user.is_superuser or bodies_of(user, roles=SCOPE_ROLES).filter(depth=1).exists()


class StatisticsMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_see_statistics(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def read_filters(self, data):
        """(form, year, selected body, kind, scope passed to the queries) — the scope is the
        selected body, else every body the user sees (None: everything, 未分办 included)."""
        user = self.request.user
        bodies = statistics_bodies(user)
        data = data.copy()
        data.setdefault("year", str(timezone.localdate().year))
        form = admin_forms.StatisticsFilterForm(data, bodies=bodies)
        if not form.is_valid():
            return form, None, None, None, None
        body, kind = form.cleaned_data["body"], form.cleaned_data["kind"]
        scope = body if body is not None else (None if covers_every_body(user) else bodies)
        return form, form.cleaned_data["year"], body, kind, scope


class StatisticsView(StatisticsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "mailbox/admin/statistics/index.html"
    page_title = gettext_lazy("信件统计")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, year, body, kind, scope = self.read_filters(self.request.GET)
        context["filter_form"] = form
        if year is None:
            return context
        today = timezone.localdate()
        tables = []
        for title, heading, group_by in ((_("按单位"), _("承办单位"), ("body",)),
                                         (_("按类型"), _("信件类型"), ("kind",)),
                                         (_("按月份"), _("月份"), ("month",))):
            rows = queries.letter_statistics(year=year, body=scope, kind=kind,
                                             group_by=group_by, today=today)
            tables.append({"title": title, "heading": heading, "rows": rows,
                           "total": queries.statistics_total(rows)})
        unanswered = list(queries.letters_unanswered_over_three_months(
            today=today, body=scope)[:UNANSWERED_SHOWN + 1])
        context.update(year=year, body=body, kind=kind, tables=tables,
                       unanswered=unanswered[:UNANSWERED_SHOWN],
                       unanswered_more=len(unanswered) > UNANSWERED_SHOWN,
                       export_query=self.request.GET.urlencode())
        return context


class StatisticsExportView(StatisticsMixin, TemplateView):
    """导出 XLSX (POST): the workbook of the chosen year, audited as
    ``mailbox.statistics.exported``."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form, year, body, kind, scope = self.read_filters(request.POST)
        if year is None:
            problems = "；".join(
                f"{form.fields[name].label if name in form.fields else _('统计条件')}："
                f"{' '.join(messages)}" for name, messages in form.errors.items())
            return HttpResponse(_("统计条件有误：%(errors)s") % {"errors": problems},
                                status=400, content_type="text/plain; charset=utf-8")
        content = queries.statistics_workbook(year=year, body=scope, kind=kind,
                                              today=timezone.localdate())
        try:
            actions.record_statistics_export(actor=request.user, year=year, body=body, kind=kind)
        except PermissionDenied:
            return forbidden(request)
        response = HttpResponse(content, content_type=XLSX)
        name = f"mailbox-statistics-{year}{'-' + body.slug if body else ''}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store, private"
        return response
