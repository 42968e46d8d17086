from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from chuangkou.sitecluster.models import BasePage


class AnnualReportPage(RoutablePageMixin, BasePage):
    """政府信息公开工作年度报告 (条例 第四十九条, 国办公开办函〔2021〕30号 format).

    Tables 三 and 四 and the counted rows of table 二 are generated from live data into
    ``tables`` by ``actions.generate_annual_report``; the text sections and the figures no
    system here records (licensing, penalty and coercion decisions, fee income) are edited.
    """

    body = models.ForeignKey(
        "organizations.Body", verbose_name=_("报告机关"), on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    overview = RichTextField(_("一、总体情况"), blank=True)
    problems_and_improvements = RichTextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = RichTextField(_("六、其他需要报告的事项"), blank=True)
    licensing_decisions = models.PositiveIntegerField(
        _("行政许可本年处理决定数量"), default=0, help_text=_("表二 第二十条第（五）项"))
    penalty_decisions = models.PositiveIntegerField(
        _("行政处罚本年处理决定数量"), default=0, help_text=_("表二 第二十条第（六）项"))
    coercion_decisions = models.PositiveIntegerField(
        _("行政强制本年处理决定数量"), default=0, help_text=_("表二 第二十条第（六）项"))
    fee_income = models.DecimalField(
        _("行政事业性收费本年收费金额（万元）"), max_digits=12, decimal_places=4, default=0,
        help_text=_("表二 第二十条第（八）项"))
    tables = models.JSONField(_("统计表"), default=dict, blank=True, editable=False)
    generated_at = models.DateTimeField(_("统计时间"), null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        FieldPanel("year"),
        FieldPanel("overview"),
        MultiFieldPanel(
            [FieldPanel("licensing_decisions"), FieldPanel("penalty_decisions"),
             FieldPanel("coercion_decisions"), FieldPanel("fee_income")],
            heading=_("二、主动公开政府信息情况（需填报的数字）"),
        ),
        FieldPanel("problems_and_improvements"),
        FieldPanel("other_matters"),
    ]
    parent_page_types = ["disclosure.AnnualReportColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("政府信息公开年报")
        verbose_name_plural = _("政府信息公开年报")
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="annual_report_unique_year"),
        ]

    XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def edited_figures(self) -> dict[str, Any]:
        """The figures of table 二 typed in on this page (第二十条第（五）（六）（八）项)."""
        return {"licensing_decisions": self.licensing_decisions,
                "penalty_decisions": self.penalty_decisions,
                "coercion_decisions": self.coercion_decisions,
                "fee_income": str(self.fee_income)}

    def report_tables(self) -> dict[str, Any] | None:
        """The tables as printed: the generated counts with this revision's edited figures."""
        from ..annual_report import tables_from_counts

        if not self.tables:
            return None
        return tables_from_counts(self.tables["counts"], edited=self.edited_figures())

    def report_due(self):
        from ..report_rules import report_due

        return report_due(body_kind=self.body.kind, year=self.year)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["report"] = self.report_tables()
        context["due"] = self.report_due()
        return context

    @path("")
    def report(self, request):
        return self.render(request)

    @path("xlsx/")
    def xlsx(self, request):
        """The tables as an XLSX workbook (one sheet per table), same labels and cells."""
        from ..annual_report import tables_workbook

        tables = self.report_tables()
        if tables is None:
            from django.http import Http404

            raise Http404
        response = HttpResponse(tables_workbook(tables, title=self.title),
                                content_type=self.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="annual-report-{self.body.slug}-{self.year}.xlsx"')
        return response
