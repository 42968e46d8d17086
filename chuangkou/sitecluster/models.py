from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from chuangkou.core.validators import validate_site_identification_code

from .choices import ColumnKind, ErrorReportStatus, SubmissionStatus
from .page_forms import ClusterPageForm
from .syndication import FeedRoutesMixin

HOSTNAME_VALIDATOR = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
    _("主机名只能包含小写字母、数字、连字符和点，例如 jyj.example.gov.cn。"),
    code="hostname",
)
ARTICLES_PER_PAGE = 20


class ClusterSite(models.Model):
    """站点: one website of the cluster (the portal or a body's site) and its identity.

    A site lives either on its own hostname or as a path under the portal; its identity
    appears in every page's footer and in the SiteName/SiteDomain/SiteIDCode meta tags
    (政府网站发展指引 国办发〔2017〕47号).
    """

    name = models.CharField(_("网站名称"), max_length=100)
    home_page = models.OneToOneField(
        Page, verbose_name=_("首页"), on_delete=models.PROTECT, related_name="cluster_site"
    )
    owner_body = models.ForeignKey(
        "organizations.Body",
        verbose_name=_("主管机构"),
        on_delete=models.PROTECT,
        related_name="cluster_sites",
    )
    is_portal = models.BooleanField(_("门户网站"), default=False)
    identification_code = models.CharField(
        _("网站标识码"),
        max_length=10,
        unique=True,
        validators=[validate_site_identification_code],
        help_text=_("10位数字（6位行政区划代码+4位顺序号）或 bm+8位数字。"),
    )
    sponsor = models.CharField(_("主办单位"), max_length=120)
    organizer = models.CharField(_("承办单位"), max_length=120, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True)
    public_security_number = models.CharField(_("公安机关备案号"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_address = models.CharField(_("联系地址"), max_length=200, blank=True)
    # NULL (not "") when absent, so that uniqueness applies only to hostnames in use.
    hostname = models.CharField(
        _("独立域名"),
        max_length=253,
        null=True,
        blank=True,
        unique=True,
        validators=[HOSTNAME_VALIDATOR],
        error_messages={"unique": _("独立域名已被其他站点使用，每个域名只能对应一个站点。")},
        help_text=_("留空则作为门户网站下的路径提供服务。"),
    )
    wagtail_site = models.OneToOneField(
        "wagtailcore.Site",
        verbose_name=_("Wagtail 站点"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="cluster_site",
    )

    class Meta:
        verbose_name = _("站点")
        verbose_name_plural = _("站点")
        ordering = ["-is_portal", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_portal"],
                condition=models.Q(is_portal=True),
                name="cluster_site_single_portal",
                violation_error_message=_("平台只能有一个门户网站。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BasePage(Page):
    """Shared behaviour of the cluster's page types (abstract)."""

    base_form_class = ClusterPageForm

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from .queries import site_for_page

        context = super().get_context(request, *args, **kwargs)
        context["cluster_site"] = site_for_page(self)
        return context

    def publish(self, revision, user=None, *args, **kwargs):
        # Every path that publishes (the last review step, the scheduler, imports) passes the
        # publication screens registered under this hook (content checks: 涉密不上网).
        for screen in hooks.get_hooks("before_publish_revision"):
            screen(page=self, revision=revision, user=user)
        return super().publish(revision, user, *args, **kwargs)


class PortalHomePage(FeedRoutesMixin, BasePage):
    """门户首页: the city portal's home page, the root of the cluster."""

    introduction = models.TextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["sitecluster.SiteHomePage", "sitecluster.ColumnPage",
                     "disclosure.DisclosurePlatformPage"]
    max_count = 1

    class Meta:
        verbose_name = _("门户首页")
        verbose_name_plural = _("门户首页")

    def get_context(self, request, *args, **kwargs):
        from .queries import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self))
        return context


class SiteHomePage(FeedRoutesMixin, BasePage):
    """站点首页: the home page of a department's, district's or street office's site."""

    introduction = models.TextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["wagtailcore.Page", "sitecluster.PortalHomePage"]
    subpage_types = ["sitecluster.ColumnPage", "sitecluster.SiteHomePage",
                     "disclosure.DisclosurePlatformPage"]

    class Meta:
        verbose_name = _("站点首页")
        verbose_name_plural = _("站点首页")

    def get_context(self, request, *args, **kwargs):
        from .queries import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self))
        return context


class ColumnPage(FeedRoutesMixin, BasePage):
    """栏目: a column of a site, with a responsible body and editor (栏目责任制)."""

    kind = models.CharField(_("栏目类型"), max_length=16, choices=ColumnKind.choices,
                            default=ColumnKind.OTHER)
    description = models.CharField(_("栏目描述"), max_length=200, blank=True)
    keywords = models.CharField(_("栏目关键词"), max_length=200, blank=True)
    responsible_body = models.ForeignKey(
        "organizations.Body",
        verbose_name=_("责任机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_columns",
    )
    responsible_editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任编辑"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_columns",
    )
    update_interval_days = models.PositiveSmallIntegerField(
        _("更新周期（天）"),
        null=True,
        blank=True,
        help_text=_("留空则按栏目类型取检查指标的默认值（动态要闻14天，通知公告和政策文件6个月）。"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("keywords"),
        MultiFieldPanel(
            [FieldPanel("responsible_body"), FieldPanel("responsible_editor"),
             FieldPanel("update_interval_days")],
            heading=_("栏目责任制"),
        ),
    ]
    # A disclosure platform's 指南 and 制度 columns are ordinary columns.
    parent_page_types = ["sitecluster.PortalHomePage", "sitecluster.SiteHomePage",
                         "sitecluster.ColumnPage", "disclosure.DisclosurePlatformPage"]
    subpage_types = ["sitecluster.ColumnPage", "sitecluster.ArticlePage"]

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    @property
    def expected_update_interval_days(self) -> int | None:
        from .rules import default_update_interval_days

        return self.update_interval_days or default_update_interval_days(self.kind)

    def get_context(self, request, *args, **kwargs):
        from .queries import column_articles, subcolumns

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(column_articles(self), ARTICLES_PER_PAGE)
        context["articles"] = paginator.get_page(request.GET.get("page"))
        context["subcolumns"] = subcolumns(self)
        return context


class ArticlePage(BasePage):
    """文章: an article published in a column."""

    subtitle = models.CharField(_("副标题"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    publication_date = models.DateTimeField(_("发布日期"), default=timezone.now, db_index=True)
    summary = models.CharField(_("摘要"), max_length=200, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    body = RichTextField(_("正文"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("author"), FieldPanel("publication_date")],
            heading=_("来源与日期"),
        ),
        FieldPanel("summary"),
        FieldPanel("keywords"),
        FieldPanel("body"),
        InlinePanel("images", label=_("图片")),
        InlinePanel("attachments", label=_("附件")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("publication_date"),
    ]
    parent_page_types = ["sitecluster.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-publication_date"]

    @cached_property
    def lead_image(self):
        first = self.images.select_related("image").first()
        return first.image if first else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["article_images"] = self.images.select_related("image")
        context["article_attachments"] = self.attachments.select_related("document")
        return context


class ArticleImage(Orderable):
    """An image shown with an article; its alt text is required (accessibility)."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("图片"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(_("替代文本"), max_length=200)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("文章图片")
        verbose_name_plural = _("文章图片")


class ArticleAttachment(Orderable):
    """A document attached to an article (附件)."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("文档"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("附件名称"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("文章附件")
        verbose_name_plural = _("文章附件")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class ArticleSubmission(models.Model):
    """信息报送: a sub-site's published article offered to a portal column.

    An adopted article appears in the target column's listing without being copied.
    """

    article = models.ForeignKey(
        ArticlePage, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="submissions"
    )
    target_column = models.ForeignKey(
        ColumnPage,
        verbose_name=_("报送栏目"),
        on_delete=models.CASCADE,
        related_name="received_submissions",
    )
    submitting_body = models.ForeignKey(
        "organizations.Body",
        verbose_name=_("报送机构"),
        on_delete=models.PROTECT,
        related_name="article_submissions",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="article_submissions",
    )
    submitted_at = models.DateTimeField(_("报送时间"), default=timezone.now, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_article_submissions",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decline_reason = models.TextField(_("不采用理由"), blank=True)

    class Meta:
        verbose_name = _("信息报送")
        verbose_name_plural = _("信息报送")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target_column"],
                condition=models.Q(status__in=["pending", "adopted"]),
                name="submission_one_open_per_article_and_column",
                violation_error_message=_("这篇文章已报送到该栏目，正在等待处理或已被采用。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="submission_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article.title} → {self.target_column.title}"


class ErrorReport(models.Model):
    """我为政府网站找错: a reader's report of an error on a page of the cluster."""

    site = models.ForeignKey(
        ClusterSite,
        verbose_name=_("站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="error_reports",
    )
    page_url = models.CharField(_("出错页面"), max_length=500)
    description = models.TextField(_("问题描述"), max_length=2000)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    form_token = models.CharField(_("表单令牌"), max_length=64, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=ErrorReportStatus.choices,
                              default=ErrorReportStatus.RECEIVED)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("网站找错")
        verbose_name_plural = _("网站找错")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.page_url} ({self.submitted_at:%Y-%m-%d})"
