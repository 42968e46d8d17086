from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from chuangkou.api.fields import PrimaryKeyRelatedField
from chuangkou.organizations.models import Body
from chuangkou.sitecluster.models import (
    ArticleAttachment,
    ArticleImage,
    ArticlePage,
    ArticleSubmission,
    ClusterSite,
    ColumnPage,
)

# Large enough for a full-width article image, small enough for a phone on a slow line.
IMAGE_RENDITION = "max-1200x1200"
# Django's year lookups turn the year into timezone-aware datetimes; far-off years overflow.
MIN_YEAR, MAX_YEAR = 1000, 9999


class SiteLookup:
    """Which cluster site each page belongs to (the nearest site home above it), from one
    query of the sites' home paths, so listings need no query per row."""

    def __init__(self) -> None:
        self._homes: list[tuple[str, str]] | None = None

    def code_for(self, page: Page) -> str | None:
        if self._homes is None:
            homes = ClusterSite.objects.values_list("home_page__path", "identification_code")
            self._homes = sorted(homes, key=lambda home: len(home[0]), reverse=True)
        for home_path, code in self._homes:
            if page.path.startswith(home_path):
                return code
        return None


def _site_lookup(context: dict[str, Any]) -> SiteLookup:
    return context.setdefault("site_lookup", SiteLookup())


def _absolute(context: dict[str, Any], url: str | None) -> str | None:
    request = context.get("request")
    if url is None or request is None:
        return url
    return request.build_absolute_uri(url)


class SiteSerializer(serializers.ModelSerializer):
    """站点 and its identity (网站标识码, 主办/承办单位, 备案号, contacts)."""

    owner_body = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("主管机构的标识")
    )
    url = serializers.SerializerMethodField(help_text=_("站点首页的完整网址"))

    class Meta:
        model = ClusterSite
        fields = ["name", "identification_code", "is_portal", "sponsor", "organizer",
                  "icp_number", "public_security_number", "contact_phone", "contact_email",
                  "contact_address", "hostname", "owner_body", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, site: ClusterSite) -> str | None:
        return site.home_page.get_full_url(request=self.context.get("request"))


class ColumnSerializer(serializers.ModelSerializer):
    """栏目 with its responsible body and expected update interval (栏目责任制)."""

    kind_display = serializers.CharField(
        source="get_kind_display", read_only=True, help_text=_("栏目类型的中文名称")
    )
    responsible_body = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("责任机构的标识")
    )
    expected_update_interval_days = serializers.IntegerField(
        read_only=True, allow_null=True,
        help_text=_("应更新周期（天）：栏目自设，或按栏目类型取检查指标的默认值；null 表示不要求"),
    )
    url = serializers.SerializerMethodField(help_text=_("栏目页面的完整网址"))
    site = serializers.SerializerMethodField(help_text=_("所属站点的网站标识码"))

    class Meta:
        model = ColumnPage
        fields = ["id", "title", "kind", "kind_display", "description", "keywords",
                  "responsible_body", "expected_update_interval_days", "url", "site"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, column: ColumnPage) -> str | None:
        return column.get_full_url(request=self.context.get("request"))

    def get_site(self, column: ColumnPage) -> str | None:
        return _site_lookup(self.context).code_for(column)


class ArticleListSerializer(serializers.ModelSerializer):
    """文章 as listed: metadata without the body."""

    column = serializers.IntegerField(
        source="column_pk", read_only=True, help_text=_("文章所在栏目的编号")
    )
    site = serializers.SerializerMethodField(help_text=_("文章所属站点的网站标识码"))
    url = serializers.SerializerMethodField(help_text=_("文章页面的完整网址"))

    class Meta:
        model = ArticlePage
        fields = ["id", "title", "subtitle", "source", "author", "publication_date", "summary",
                  "keywords", "url", "column", "site"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article: ArticlePage) -> str | None:
        return article.get_full_url(request=self.context.get("request"))

    def get_site(self, article: ArticlePage) -> str | None:
        return _site_lookup(self.context).code_for(article)


class ArticleImageSerializer(serializers.ModelSerializer):
    url = serializers.URLField(
        read_only=True, allow_null=True, help_text=_("适合网页显示的图片地址；原图缺失时为 null")
    )
    width = serializers.IntegerField(read_only=True, allow_null=True)
    height = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ArticleImage
        fields = ["alt_text", "caption", "url", "width", "height"]
        read_only_fields = fields

    def to_representation(self, image: ArticleImage) -> dict[str, Any]:
        # One rendition per image (looking it up per field would repeat the query).
        try:
            rendition = image.image.get_rendition(IMAGE_RENDITION)
        except SourceImageIOError:
            rendition = None
        return {
            "alt_text": image.alt_text,
            "caption": image.caption,
            "url": _absolute(self.context, rendition.url) if rendition else None,
            "width": rendition.width if rendition else None,
            "height": rendition.height if rendition else None,
        }


class ArticleAttachmentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True)
    url = serializers.SerializerMethodField()
    file_extension = serializers.CharField(source="document.file_extension", read_only=True)

    class Meta:
        model = ArticleAttachment
        fields = ["title", "url", "file_extension"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, attachment: ArticleAttachment) -> str | None:
        return _absolute(self.context, attachment.document.url)


class ArticleDetailSerializer(ArticleListSerializer):
    """文章 in full: the rendered body, images and attachments."""

    body = serializers.SerializerMethodField(help_text=_("正文 HTML（内部链接已展开）"))
    images = ArticleImageSerializer(many=True, read_only=True)
    attachments = ArticleAttachmentSerializer(many=True, read_only=True)

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "body", "images", "attachments"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_body(self, article: ArticlePage) -> str:
        return expand_db_html(article.body)


class SubmissionSerializer(serializers.ModelSerializer):
    """信息报送 as the submitting body and the receiving column's editors see it."""

    article_title = serializers.CharField(source="article.title", read_only=True)
    target_column_title = serializers.CharField(source="target_column.title", read_only=True)
    submitting_body = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("报送机构的标识")
    )
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ArticleSubmission
        fields = ["id", "article", "article_title", "target_column", "target_column_title",
                  "submitting_body", "submitted_by", "submitted_at", "status", "status_display",
                  "decided_by", "decided_at", "decline_reason"]
        read_only_fields = fields


class SubmissionCreateSerializer(serializers.Serializer):
    article = PrimaryKeyRelatedField(
        queryset=ArticlePage.objects.all(), help_text=_("要报送的文章编号（须已发布）")
    )
    target_column = PrimaryKeyRelatedField(
        queryset=ColumnPage.objects.all(), help_text=_("报送到的栏目编号（须属于其他站点）")
    )


class SubmissionDeclineSerializer(serializers.Serializer):
    # Blank is let through so the action, which owns the rule, gives the message.
    reason = serializers.CharField(allow_blank=True, help_text=_("不采用的理由，报送机构可见"))


class AdoptionCountsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, help_text=_("年份"))
    month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, help_text=_("月份（1-12）；不填则统计全年")
    )
    body = serializers.SlugRelatedField(
        slug_field="slug", queryset=Body.objects.all(), required=False,
        help_text=_("报送机构的标识；不填则统计所有机构"),
    )


class AdoptionCountSerializer(serializers.Serializer):
    """信息报送采用情况: one body's figures for one month."""

    body = serializers.CharField(help_text=_("报送机构的标识"))
    body_name = serializers.CharField(help_text=_("报送机构的全称"))
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    submitted = serializers.IntegerField(help_text=_("报送数"))
    adopted = serializers.IntegerField(help_text=_("采用数"))
    declined = serializers.IntegerField(help_text=_("未采用数"))
    pending = serializers.IntegerField(help_text=_("待处理数"))
