from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from chuangkou.sitecluster.models import BasePage

CATALOGUE_RECORDS_PER_PAGE = 20


class DisclosurePlatformPage(BasePage):
    """政府信息公开平台: one body's unified disclosure platform (条例 第二十四条), with the
    four fixed first-level columns as its children."""

    body = models.OneToOneField(
        "organizations.Body", verbose_name=_("公开主体"), on_delete=models.PROTECT,
        related_name="disclosure_platform",
    )
    introduction = models.TextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("introduction")]
    parent_page_types = ["sitecluster.PortalHomePage", "sitecluster.SiteHomePage"]
    subpage_types = ["sitecluster.ColumnPage", "disclosure.DisclosureCataloguePage",
                     "disclosure.AnnualReportColumnPage"]

    class Meta:
        verbose_name = _("政府信息公开平台")
        verbose_name_plural = _("政府信息公开平台")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["columns"] = self.get_children().live().specific().order_by("path")
        return context


class DisclosureCataloguePage(RoutablePageMixin, BasePage):
    """法定主动公开内容: the public catalogue of a platform, browsed by body, category, theme,
    genre and year, filtered by validity and searched (条例 第二十四条: 检索、查阅、下载)."""

    introduction = models.TextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["disclosure.DisclosurePlatformPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("政府信息公开目录")
        verbose_name_plural = _("政府信息公开目录")

    def platform_body(self):
        parent = self.get_parent().specific
        return getattr(parent, "body", None)

    def get_context(self, request, *args, **kwargs):
        from ..forms.catalogue import CatalogueFilterForm
        from ..queries.catalogue import (
            bodies_in_scope,
            catalogue_records,
            category_tree,
            category_with_descendants,
            platform_categories,
        )

        context = super().get_context(request, *args, **kwargs)
        body = self.platform_body()
        if body is None:
            return context
        bodies = list(bodies_in_scope(body))
        categories = platform_categories(body)
        form = CatalogueFilterForm(request.GET or None, bodies=bodies, categories=categories)
        filters = form.valid_filters() if request.GET else {}
        selected_category = next((c for c in categories if c.pk == filters.get("category")),
                                 None)
        scope = [b for b in bodies if b.pk == filters["body"]] if "body" in filters else bodies
        records = catalogue_records(
            bodies=scope,
            category_ids=category_with_descendants(selected_category)
            if selected_category else None,
            theme=filters.get("theme", ""), genre=filters.get("genre", ""),
            year=filters.get("year"), validity=filters.get("validity", ""),
            search=filters.get("q", "").strip(),
        )
        paginator = Paginator(records, CATALOGUE_RECORDS_PER_PAGE)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            platform_body=body, filter_form=form, records=paginator.get_page(request.GET.get("page")),
            category_tree=category_tree(categories), selected_category=selected_category,
            query_without_page=query.urlencode(),
        )
        return context


class AnnualReportColumnPage(BasePage):
    """政府信息公开年报 column: the body's annual reports, newest first."""

    introduction = models.TextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["disclosure.DisclosurePlatformPage"]
    subpage_types = ["disclosure.AnnualReportPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("政府信息公开年报栏目")
        verbose_name_plural = _("政府信息公开年报栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reports"] = self.get_children().live().specific().order_by("-first_published_at")
        return context
