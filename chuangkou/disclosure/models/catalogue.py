from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    CategoryScheme,
    DisclosureAttribute,
    DisclosureMethod,
    Genre,
    ServiceAudience,
    Theme,
    Validity,
)


class CatalogueCategory(models.Model):
    """公开目录分类: a node of the disclosure catalogue tree.

    Statutory categories (条例 第二十条、第二十一条) have no body and are shared by every
    platform; a body adds its own sub-categories under them. A supervising department defines
    the kinds of its sector (公共企事业单位办事公开) with ``scheme`` set accordingly.
    """

    scheme = models.CharField(_("目录体系"), max_length=32, choices=CategoryScheme.choices,
                              default=CategoryScheme.STATUTORY)
    body = models.ForeignKey(
        "organizations.Body", verbose_name=_("所属机构"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="catalogue_categories",
        help_text=_("留空表示法定分类，所有机构共用。"),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField(_("分类代码"), max_length=60)
    name = models.CharField(_("分类名称"), max_length=120)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    local_government_only = models.BooleanField(
        _("仅市、县级人民政府及其部门"), default=False,
        help_text=_("条例第二十一条规定的分类，仅设区的市级、县级人民政府及其部门适用。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公开目录分类")
        verbose_name_plural = _("公开目录分类")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "body", "code"], name="catalogue_category_unique_body_code",
            ),
            models.UniqueConstraint(
                fields=["scheme", "code"], condition=models.Q(body__isnull=True),
                name="catalogue_category_unique_shared_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DisclosureRecord(models.Model):
    """政府信息公开目录条目: the catalogue metadata of one document (政府信息公开目录系统实施指引).

    The document itself is an ordinary article page: the record only adds the catalogue
    metadata, so nothing is entered twice. The 索引号 is given once at registration and never
    changes, not even when the publishing body does.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("文章"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="disclosure_record",
    )
    body = models.ForeignKey(
        "organizations.Body", verbose_name=_("发布机构"), on_delete=models.PROTECT,
        related_name="disclosure_records",
    )
    index_number = models.CharField(_("索引号"), max_length=40, unique=True, editable=False)
    index_year = models.PositiveSmallIntegerField(_("索引号年份"), editable=False)
    index_sequence = models.PositiveIntegerField(_("索引号顺序号"), editable=False)
    title = models.CharField(_("名称"), max_length=255)
    category = models.ForeignKey(
        CatalogueCategory, verbose_name=_("目录分类"), on_delete=models.PROTECT,
        related_name="records",
    )
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    written_on = models.DateField(_("成文日期"))
    formed_on = models.DateField(
        _("形成或变更日期"),
        help_text=_("条例第二十六条：属于主动公开范围的政府信息，应当自形成或者变更之日起20个工作日内予以公开。"),
    )
    disclosure_due_on = models.DateField(_("应公开日期"), editable=False)
    published_on = models.DateField(_("发布日期"), null=True, blank=True, editable=False)
    theme = models.CharField(_("主题分类"), max_length=40, choices=Theme.choices)
    genre = models.CharField(_("体裁分类"), max_length=40, choices=Genre.choices)
    audience = models.CharField(_("服务对象"), max_length=40, choices=ServiceAudience.choices,
                                default=ServiceAudience.PUBLIC)
    attribute = models.CharField(_("公开属性"), max_length=20, choices=DisclosureAttribute.choices,
                                 default=DisclosureAttribute.PROACTIVE)
    withheld_reason = models.TextField(
        _("不主动公开的理由"), blank=True,
        help_text=_("公开属性为依申请公开或不予公开时必须说明理由及依据。"),
    )
    method = models.CharField(_("公开方式"), max_length=40, choices=DisclosureMethod.choices,
                              default=DisclosureMethod.WEBSITE)
    validity = models.CharField(_("有效性"), max_length=20, choices=Validity.choices,
                                default=Validity.VALID)
    validity_changed_on = models.DateField(_("失效或废止日期"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("替代文件"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="replaces",
    )
    summary = models.CharField(_("内容概述"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公开目录条目")
        verbose_name_plural = _("公开目录条目")
        ordering = ["-written_on", "-index_sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "index_year", "index_sequence"],
                name="disclosure_record_unique_sequence",
            ),
            models.CheckConstraint(
                condition=models.Q(attribute=DisclosureAttribute.PROACTIVE)
                | ~models.Q(withheld_reason=""),
                name="disclosure_record_withheld_has_reason",
                violation_error_message=_("公开属性为依申请公开或不予公开时必须说明理由。"),
            ),
        ]
        indexes = [
            models.Index(fields=["body", "published_on"], name="disclosure_record_body_pub"),
            models.Index(fields=["category", "published_on"], name="disclosure_record_cat_pub"),
        ]

    def __str__(self) -> str:
        return f"{self.index_number} {self.title}"
