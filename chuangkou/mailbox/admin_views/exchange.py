"""12345热线工单交换 in the Wagtail admin (dispatchers and mailbox managers): upload a work
order file (CSV, XLSX or JSON) and see what happened to each row; download the letters as work
orders. Both go through the exchange actions, which check the permission again and audit."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import apply_rule_violation

from .. import hotline
from ..actions.exchange import (
    HOTLINE_SOURCE,
    export_hotline_work_orders,
    import_hotline_work_orders,
)
from ..exceptions import MailboxRuleViolation
from ..queries.letters import may_exchange_work_orders

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
OUTCOME_LABELS = {
    "created": gettext_lazy("新建来信"),
    "updated": gettext_lazy("已更新"),
    "unchanged": gettext_lazy("无变化"),
    "error": gettext_lazy("未导入"),
}
FORMAT_CHOICES = (("xlsx", "XLSX（Excel）"), ("csv", "CSV（UTF-8）"), ("json", "JSON"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("工单文件"),
        help_text=gettext_lazy("CSV（UTF-8或GBK）、XLSX或JSON，不超过5 MB、5000行；第一行为列名："
                               "工单编号、来电时间、诉求类型、标题、诉求内容、承办单位、来电人、"
                               "联系电话、工单状态、办理结果、办结时间。"),
        error_messages={"required": gettext_lazy("请选择要导入的工单文件。")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        fmt = hotline.format_of(upload.name or "")
        if fmt is None:
            raise forms.ValidationError(_("工单文件只能是CSV、XLSX或JSON格式（按扩展名识别）。"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("工单文件不能超过5 MB。"))
        try:
            rows = hotline.parse_file(upload.read(), fmt=fmt)
        except hotline.HotlineFileError as error:
            raise forms.ValidationError(str(error)) from error
        if not rows:
            raise forms.ValidationError(_("文件中没有工单。"))
        if len(rows) > MAX_ROWS:
            raise forms.ValidationError(_("一次最多导入%(n)d行（文件有%(m)d行），请分批导入。")
                                        % {"n": MAX_ROWS, "m": len(rows)})
        self.rows = rows
        return upload


class ExportForm(forms.Form):
    fmt = forms.ChoiceField(label=gettext_lazy("格式"), choices=FORMAT_CHOICES, initial="xlsx")
    received_from = forms.DateField(label=gettext_lazy("受理日期自"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label=gettext_lazy("受理日期至"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    hotline_only = forms.BooleanField(label=gettext_lazy("只导出来自12345热线的工单"),
                                      required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("结束日期不能早于开始日期。"))
        return data


class ExchangeStaffMixin:
    """Dispatchers and mailbox managers only; anyone else signed in gets a real 403."""

    def dispatch(self, request, *args, **kwargs):
        if not may_exchange_work_orders(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class HotlineExchangeView(ExchangeStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    """The import form (POST here) with the result of an import, and the export form."""

    template_name = "mailbox/exchange/hotline.html"
    page_title = gettext_lazy("12345热线工单交换")
    header_icon = "resubmit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("import_form", ImportForm())
        context.setdefault("export_form", ExportForm())
        context["source"] = HOTLINE_SOURCE
        return context

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(import_form=form), status=400)
        try:
            result = import_hotline_work_orders(rows=form.rows, actor=request.user)
        except PermissionDenied:
            return permission_denied(request, PermissionDenied())
        rows = [{"row": row, "label": OUTCOME_LABELS[row.outcome]} for row in result.rows]
        return self.render_to_response(self.get_context_data(
            result=result, result_rows=rows, file_name=form.cleaned_data["file"].name))


class HotlineExportView(ExchangeStaffMixin, WagtailAdminTemplateMixin, TemplateView):
    """导出 (POST): the letters the user may see as a work-order file, audited."""

    template_name = "mailbox/exchange/hotline.html"
    page_title = gettext_lazy("12345热线工单交换")
    header_icon = "resubmit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ExportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                content = export_hotline_work_orders(
                    actor=request.user, fmt=data["fmt"], received_from=data["received_from"],
                    received_to=data["received_to"], hotline_only=data["hotline_only"])
            except PermissionDenied:
                return permission_denied(request, PermissionDenied())
            except MailboxRuleViolation as violation:
                apply_rule_violation(form, violation)
            else:
                response = HttpResponse(content, content_type=CONTENT_TYPES[data["fmt"]])
                name = f"12345-work-orders-{timezone.localdate():%Y%m%d}.{data['fmt']}"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                response["Cache-Control"] = "no-store, private"
                return response
        return self.render_to_response(self.get_context_data(
            import_form=ImportForm(), export_form=form, source=HOTLINE_SOURCE), status=400)
