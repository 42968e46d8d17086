"""Staff screens of 好差评 in the Wagtail admin (办件人员 and 政务服务督办员): the worklists
(待整改, 已超期, 待复核申诉, 全部评价), the rectification case with its record and forms
(assign the handler, add an entry, close), the rating with the appeal and decision forms,
and the statistics per body with the XLSX export.

Who sees a rating or case is ``queries.ratings.staff_rating_bodies`` (handled bodies and
every supervised body); anyone else with these roles gets 404 for it, staff without them
403. Who may act is checked here (to show the form) and again by the action.
"""

from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import apply_rule_violation, forbidden
from chuangkou.core.audit_export import safe_cell

from .. import actions
from ..actions.ratings import RATING_INDICATORS
from ..choices import AppealStatus, RatingLevel, RectificationStatus
from ..exceptions import ServicesRuleViolation
from ..forms import ratings as forms
from ..queries import ratings as queries
from ..queries.access import may_handle_at, may_supervise_body

PER_PAGE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TABS = (
    ("open", gettext_lazy("待整改")),
    ("overdue", gettext_lazy("已超期")),
    ("appeals", gettext_lazy("待复核申诉")),
    ("all", gettext_lazy("全部评价")),
)


class RatingsStaffMixin:
    """办件人员 and 政务服务督办员 only; anyone else signed in gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not queries.may_use_ratings_admin(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


# --------------------------------------------------------------------------- worklists


class RatingListView(RatingsStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/ratings/list.html"
    page_title = gettext_lazy("好差评")
    header_icon = "pick"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        current = self.request.GET.get("tab")
        if current not in dict(TABS):
            current = "open"
        if current == "open":
            rows = queries.open_cases(user, today=today)
        elif current == "overdue":
            rows = queries.overdue_cases(user, today=today)
        elif current == "appeals":
            rows = queries.pending_appeals(user)
        else:
            rows = queries.ratings_for_staff(user).order_by("-rated_at", "-pk")
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p"))
        context.update(
            tabs=[(slug, title, f"?{urlencode({'tab': slug})}", slug == current)
                  for slug, title in TABS],
            current_tab=current, page=page, today=today,
            page_query=urlencode({"tab": current}))
        return context


# --------------------------------------------------------------------------- a case


def _may_record(user, case) -> bool:
    is_handler = case.handler_id is not None and case.handler_id == user.pk and may_handle_at(
        user, case.body)
    return is_handler or may_supervise_body(user, case.body)


CASE_ACTIONS = ("assign", "entry", "close")


class CaseView(RatingsStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    """差评整改: the rating, the record, and the forms the user may use."""

    template_name = "services/admin/ratings/case.html"
    page_title = gettext_lazy("差评整改")
    header_icon = "pick"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if queries.may_use_ratings_admin(request.user):
            self.case = queries.rectification_case_for_staff(request.user, kwargs["pk"])
            if self.case is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def permitted(self, action: str) -> bool:
        user, case = self.request.user, self.case
        if action in ("assign", "close"):
            return may_supervise_body(user, case.body)
        return _may_record(user, case)

    def make_form(self, action: str, data=None):
        if action == "assign":
            return forms.AssignHandlerForm(
                data, handlers=queries.eligible_rectification_handlers(self.case.body),
                initial={"handler": self.case.handler_id}, prefix="assign")
        if action == "entry":
            return forms.RectificationEntryForm(data, prefix="entry")
        return forms.CloseCaseForm(data, prefix="close")

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.case
        is_open = case.status == RectificationStatus.OPEN
        action_forms = {}
        if is_open:
            for action in CASE_ACTIONS:
                if self.permitted(action):
                    action_forms[action] = (bound[1] if bound and bound[0] == action
                                            else self.make_form(action))
        context.update(
            case=case, rating=case.rating, is_open=is_open,
            entries=case.entries.select_related("actor").order_by("occurred_at", "pk"),
            overdue=is_open and case.due_on < timezone.localdate(),
            assign_form=action_forms.get("assign"), entry_form=action_forms.get("entry"),
            close_form=action_forms.get("close"),
            indicators=_indicator_rows(case.rating))
        return context

    def post(self, request, *args, **kwargs):
        action = kwargs.get("action")
        if action not in CASE_ACTIONS:
            raise Http404
        if not self.permitted(action):
            return forbidden(request)
        page = reverse("services_rating_case", args=[self.case.pk])
        if self.case.status != RectificationStatus.OPEN:
            messages.error(request, _("该差评整改已办结，不能再修改。"))
            return redirect(page)
        form = self.make_form(action, request.POST)
        if form.is_valid():
            try:
                if action == "assign":
                    actions.assign_rectification_handler(
                        case=self.case, actor=request.user, handler=form.cleaned_data["handler"])
                    messages.success(request, _("已指定整改责任人。"))
                elif action == "entry":
                    actions.record_rectification_entry(
                        case=self.case, actor=request.user, kind=form.cleaned_data["kind"],
                        note=form.cleaned_data["note"])
                    messages.success(request, _("已记录。"))
                else:
                    actions.close_rectification_case(
                        case=self.case, actor=request.user,
                        conclusion=form.cleaned_data["conclusion"])
                    messages.success(request, _("差评整改已办结。"))
                return redirect(page)
            except ServicesRuleViolation as violation:
                apply_rule_violation(form, violation)
            except PermissionDenied:
                return forbidden(request)
        return self.render_to_response(self.get_context_data(bound=(action, form)))


# --------------------------------------------------------------------------- a rating


def _indicator_rows(rating):
    return [(label, RatingLevel(getattr(rating, name)).label, getattr(rating, name))
            for name, label in RATING_INDICATORS]


class RatingView(RatingsStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    """A rating: its levels and comment, its case, its appeals; the appeal form for the rated
    body's staff and the decision form for supervisors other than the appellant."""

    template_name = "services/admin/ratings/rating.html"
    page_title = gettext_lazy("评价详情")
    header_icon = "pick"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if queries.may_use_ratings_admin(request.user):
            self.rating = queries.rating_for_staff(request.user, kwargs["pk"])
            if self.rating is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def pending(self):
        return (self.rating.appeals.filter(status=AppealStatus.PENDING)
                .select_related("submitted_by").first())

    def may_appeal(self) -> bool:
        user, body = self.request.user, self.rating.body
        return may_handle_at(user, body) or may_supervise_body(user, body)

    def may_decide(self, pending) -> bool:
        return (pending is not None and may_supervise_body(self.request.user, self.rating.body)
                and pending.submitted_by_id != self.request.user.pk)

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        rating, pending = self.rating, self.pending
        appeal_form = decide_form = None
        if self.may_appeal() and pending is None and not rating.is_excluded:
            appeal_form = bound[1] if bound and bound[0] == "appeal" else forms.AppealForm(
                prefix="appeal")
        if self.may_decide(pending):
            decide_form = bound[1] if bound and bound[0] == "decide" else (
                forms.AppealDecisionForm(prefix="decide"))
        context.update(
            rating=rating, case=getattr(rating, "rectification", None), pending=pending,
            appeals=rating.appeals.select_related("submitted_by", "decided_by")
            .order_by("submitted_at", "pk"),
            appeal_form=appeal_form, decide_form=decide_form,
            appellant_waits=pending is not None and decide_form is None,
            indicators=_indicator_rows(rating))
        return context

    def post(self, request, *args, **kwargs):
        action = kwargs.get("action")
        page = reverse("services_rating", args=[self.rating.pk])
        pending = self.pending
        if action == "appeal":
            if not self.may_appeal():
                return forbidden(request)
            if pending is not None or self.rating.is_excluded:
                messages.error(request, _("该评价已有申诉待复核或已撤除。"))
                return redirect(page)
            form = forms.AppealForm(request.POST, prefix="appeal")
        elif action == "decide":
            if not may_supervise_body(request.user, self.rating.body):
                return forbidden(request)
            if pending is None:
                messages.error(request, _("该评价没有待复核的申诉。"))
                return redirect(page)
            if pending.submitted_by_id == request.user.pk:
                messages.error(request, _("申诉人不能复核自己提交的申诉。"))
                return redirect(page)
            form = forms.AppealDecisionForm(request.POST, prefix="decide")
        else:
            raise Http404
        if form.is_valid():
            try:
                if action == "appeal":
                    actions.submit_rating_appeal(rating=self.rating, actor=request.user,
                                                 reason=form.cleaned_data["reason"])
                    messages.success(request, _("申诉已提交，待督办员复核。"))
                else:
                    appeal = actions.decide_rating_appeal(
                        appeal=pending, actor=request.user,
                        uphold=form.cleaned_data["decision"] == "uphold",
                        note=form.cleaned_data["note"])
                    messages.success(request, _("已复核：%(status)s。") % {
                        "status": appeal.get_status_display()})
                return redirect(page)
            except ServicesRuleViolation as violation:
                apply_rule_violation(form, violation)
            except PermissionDenied:
                return forbidden(request)
        return self.render_to_response(self.get_context_data(bound=(action, form)))


# --------------------------------------------------------------------------- statistics


class StatisticsMixin(RatingsStaffMixin):
    def read_filters(self, data):
        """(form, year, body, bodies in scope); year None when the form is invalid or empty."""
        bodies = queries.staff_rating_bodies(self.request.user)
        data = data.copy()
        data.setdefault("year", str(timezone.localdate().year))
        form = forms.RatingStatisticsFilterForm(data, bodies=bodies)
        if not form.is_valid():
            return form, None, None, bodies, False
        return form, form.cleaned_data["year"], form.cleaned_data["body"], bodies, True


class StatisticsView(StatisticsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/ratings/statistics.html"
    page_title = gettext_lazy("好差评统计")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, year, body, bodies, valid = self.read_filters(self.request.GET)
        context.update(filter_form=form, valid=valid, year=year, body=body)
        if valid:
            context.update(
                total=queries.rating_summary_total(year=year, body=body, bodies=bodies),
                body_rows=queries.rating_summaries(group_by="body", year=year, body=body,
                                                   bodies=bodies),
                item_rows=queries.rating_summaries(group_by="item", year=year, body=body,
                                                   bodies=bodies))
        return context


HEADERS = (gettext_lazy("评价数"), gettext_lazy("好评率（%）"), gettext_lazy("差评数"),
           gettext_lazy("按期整改数"), gettext_lazy("按期整改率（%）"),
           *(label for _name, label in RATING_INDICATORS), gettext_lazy("申诉撤除数"),
           *(level.label for level in RatingLevel))


def _figures(row) -> list:
    def number(value):
        return float(value) if value is not None else None

    return [row.count, number(row.good_rate), row.dissatisfied, row.rectified_on_time,
            number(row.rectified_on_time_rate),
            *(number(row.averages.get(name)) for name, _label in RATING_INDICATORS),
            row.removed, *(row.levels.get(level.value, 0) for level in RatingLevel)]


def statistics_workbook(*, year, body, bodies) -> bytes:
    """The figures as XLSX: sheets 按单位 and 按事项 (each with a 合计 row). Names are text
    cells guarded against formula injection; figures are numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)
    total = queries.rating_summary_total(year=year, body=body, bodies=bodies)
    sheets = ((_("按单位"), [_("单位")], "body"),
              (_("按事项"), [_("事项编码"), _("服务事项"), _("实施单位")], "item"))
    for index, (title, first, group_by) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append([*first, *(str(header) for header in HEADERS)])
        for row in queries.rating_summaries(group_by=group_by, year=year, body=body,
                                            bodies=bodies):
            names = ([row.name] if group_by == "body"
                     else [row.code, row.name, row.body_name])
            sheet.append([*(safe_cell(str(name)) for name in names), *_figures(row)])
        sheet.append([_("合计"), *([""] * (len(first) - 1)), *_figures(total)])
        for cell in sheet[1]:
            cell.font = bold
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


class StatisticsExportView(StatisticsMixin, TemplateView):
    """导出 XLSX (POST), audited as ``services.rating_statistics.exported``."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form, year, body, bodies, valid = self.read_filters(request.POST)
        if not valid:
            problems = "；".join(
                f"{form.fields[name].label if name in form.fields else _('统计条件')}："
                f"{' '.join(messages)}" for name, messages in form.errors.items())
            return HttpResponse(_("统计条件有误：%(errors)s") % {"errors": problems},
                                status=400, content_type="text/plain; charset=utf-8")
        content = statistics_workbook(year=year, body=body, bodies=bodies)
        try:
            actions.record_rating_statistics_export(actor=request.user, year=year, body=body)
        except PermissionDenied:
            return forbidden(request)
        response = HttpResponse(content, content_type=XLSX)
        name = f"service-ratings-{year or 'all'}{'-' + body.slug if body else ''}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store, private"
        return response
