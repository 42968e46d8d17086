"""事项导入导出 in the Wagtail admin (事项管理员): upload a JSON or XLSX catalogue (with a dry
run that saves nothing) and download the items of the bodies one manages. Both are audited
(``services.catalogue.imported`` / ``services.catalogue.exported``)."""

from pathlib import PurePath

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import forbidden
from chuangkou.core.uploads import sniff_upload

from ..catalogue_io import (
    CONTENT_TYPES,
    FORMATS,
    IMPORT_MAX_BYTES,
    JSON,
    XLSX,
    export_catalogue,
    import_catalogue,
    record_catalogue_export,
)
from ..models import ServiceItem
from ..queries.access import managed_bodies

__all__ = ["CatalogueExportView", "CatalogueIOView", "CatalogueImportForm", "may_exchange"]


def may_exchange(user) -> bool:
    """事项管理员 of at least one body."""
    return managed_bodies(user).exists()


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("事项目录文件"),
        help_text=gettext_lazy("JSON 或 XLSX 文件，不超过 5 MB。"),
        error_messages={"required": gettext_lazy("请选择要导入的事项目录文件。")})
    dry_run = forms.BooleanField(
        label=gettext_lazy("试导入（只检查，不保存）"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = PurePath(upload.name or "").name
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("事项目录文件超过 %(mb)d MB，请拆分后导入。") % {
                "mb": IMPORT_MAX_BYTES // (1024 * 1024)})
        if extension not in FORMATS:
            raise forms.ValidationError(_("事项目录文件只能是 .json 或 .xlsx 文件。"))
        if extension == XLSX and sniff_upload(upload) != XLSX:
            raise forms.ValidationError(_("事项目录文件的内容不是 XLSX 工作簿（扩展名与内容不符）。"))
        if extension == JSON:
            upload.seek(0)
            head = upload.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
            upload.seek(0)
            if not head.startswith(b"{"):
                raise forms.ValidationError(_("事项目录文件的内容不是 JSON（扩展名与内容不符）。"))
        self.format = extension
        return upload


class ExchangeMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_exchange(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class CatalogueIOView(ExchangeMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/catalogue_io/index.html"
    page_title = gettext_lazy("事项导入导出")
    header_icon = "download"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bodies = managed_bodies(self.request.user).order_by("path")
        context.setdefault("form", CatalogueImportForm())
        context.update(bodies=bodies, item_count=ServiceItem.objects.filter(
            implementing_body__in=bodies).count(), max_mb=IMPORT_MAX_BYTES // (1024 * 1024))
        return context

    def post(self, request, *args, **kwargs):
        form = CatalogueImportForm(request.POST, request.FILES)
        report = None
        status = 200
        if form.is_valid():
            upload = form.cleaned_data["file"]
            upload.seek(0)
            try:
                report = import_catalogue(data=upload.read(), format=form.format,
                                          actor=request.user,
                                          dry_run=form.cleaned_data["dry_run"])
            except PermissionDenied:
                return forbidden(request)
            if not report.ok:
                status = 400
        else:
            status = 400
        response = self.render_to_response(self.get_context_data(form=form, report=report))
        response.status_code = status
        return response


class CatalogueExportView(ExchangeMixin, TemplateView):
    """导出 (POST): the items of the bodies the user manages (or one of them) as a file."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        format = request.POST.get("format")
        if format not in FORMATS:
            return HttpResponse(_("导出格式只能是 JSON 或 XLSX。"), status=400,
                                content_type="text/plain; charset=utf-8")
        bodies = managed_bodies(request.user)
        slug = request.POST.get("body") or ""
        if slug:
            bodies = bodies.filter(slug=slug)
            if not bodies.exists():
                return forbidden(request)
        bodies = list(bodies)
        items = ServiceItem.objects.filter(implementing_body__in=bodies)
        content = export_catalogue(items=items, format=format)
        record_catalogue_export(actor=request.user, format=format, bodies=bodies,
                                count=items.count())
        response = HttpResponse(content, content_type=CONTENT_TYPES[format])
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        name = f"service-catalogue{'-' + slug if slug else ''}-{stamp}.{format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store, private"
        return response
