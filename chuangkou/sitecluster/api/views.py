from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from wagtail.models import Page, PageQuerySet

from chuangkou.api.fields import ID_LOOKUP_REGEX, IntegerFilter, ModelChoiceFilter
from chuangkou.api.permissions import IsStaffMember
from chuangkou.api.trees import parent_value
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import bodies_of
from chuangkou.sitecluster import actions, queries
from chuangkou.sitecluster.choices import ColumnKind
from chuangkou.sitecluster.models import (
    ArticleAttachment,
    ArticleImage,
    ArticlePage,
    ArticleSubmission,
    ClusterSite,
    ColumnPage,
)

from .serializers import (
    MAX_YEAR,
    MIN_YEAR,
    AdoptionCountSerializer,
    AdoptionCountsQuerySerializer,
    ArticleDetailSerializer,
    ArticleListSerializer,
    ColumnSerializer,
    SiteLookup,
    SiteSerializer,
    SubmissionCreateSerializer,
    SubmissionDeclineSerializer,
    SubmissionSerializer,
)

TAGS = ["站群"]
INVALID_RESPONSE = OpenApiResponse(
    description=_("输入有误或不符合报送规则：各字段的错误信息，如 {\"reason\": [\"…\"]}")
)
FORBIDDEN_RESPONSE = OpenApiResponse(description=_("未登录或不是工作人员"))


def _site_choices(request: Request | None) -> QuerySet[ClusterSite]:
    return ClusterSite.objects.select_related("home_page")


class PagesOfSiteFilter(filters.FilterSet):
    site = ModelChoiceFilter(
        queryset=_site_choices, to_field_name="identification_code", method="filter_site",
        help_text=_("网站标识码：只列出属于该站点的内容（不含其下级站点）"),
    )

    def filter_site(self, queryset: PageQuerySet, name: str, value: ClusterSite) -> PageQuerySet:
        return queries.within_site(queryset, value)


class ColumnFilter(PagesOfSiteFilter):
    kind = filters.ChoiceFilter(choices=ColumnKind.choices, help_text=_("栏目类型"))

    class Meta:
        model = ColumnPage
        fields = ["site", "kind"]


def _column_choices(request: Request | None) -> PageQuerySet:
    return queries.published(ColumnPage.objects.all())


class ArticleFilter(PagesOfSiteFilter):
    column = ModelChoiceFilter(
        queryset=_column_choices, method="filter_column",
        help_text=_("栏目编号：只列出该栏目下的文章（采用的报送文章见栏目的文章列表）"),
    )
    year = IntegerFilter(
        method="filter_year", min_value=MIN_YEAR, max_value=MAX_YEAR,
        help_text=_("发布年份"),
    )

    class Meta:
        model = ArticlePage
        fields = ["site", "column", "year"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_column(self, queryset: PageQuerySet, name: str, value: ColumnPage) -> PageQuerySet:
        return queryset.child_of(value)

    def filter_year(self, queryset: PageQuerySet, name: str, value: int) -> PageQuerySet:
        return queryset.filter(publication_date__year=value)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary=_("站点列表"),
                       description=_("站群中的全部站点及其网站标识、主办单位和备案信息。")),
    retrieve=extend_schema(tags=TAGS, summary=_("站点详情（按网站标识码）")),
)
class SiteViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SiteSerializer
    lookup_field = "identification_code"
    lookup_value_regex = r"[0-9a-z]+"

    def get_queryset(self) -> QuerySet[ClusterSite]:
        return ClusterSite.objects.select_related("home_page", "owner_body")


class SiteLookupMixin:
    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "site_lookup": SiteLookup()}


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary=_("栏目列表"),
                       description=_("已发布的栏目，按页面树顺序。")),
    retrieve=extend_schema(tags=TAGS, summary=_("栏目详情")),
)
class ColumnViewSet(SiteLookupMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ColumnSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ColumnFilter
    lookup_value_regex = ID_LOOKUP_REGEX

    def get_queryset(self) -> PageQuerySet:
        columns = queries.published(ColumnPage.objects.all())
        return columns.select_related("responsible_body").order_by("path")

    @extend_schema(
        tags=TAGS, summary=_("栏目的文章列表"),
        description=_("栏目下已发布的文章和该栏目采用的报送文章，最新的在前。"),
        responses=ArticleListSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def articles(self, request: Request, pk: str | None = None) -> Response:
        column = self.get_object()
        articles = queries.published(queries.column_articles(column)).annotate(
            column_pk=parent_value(Page, "pk")
        )
        page = self.paginate_queryset(articles)
        serializer = ArticleListSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary=_("文章列表"),
                       description=_("已发布的文章，最新的在前。")),
    retrieve=extend_schema(tags=TAGS, summary=_("文章详情"),
                           description=_("含正文、图片和附件；草稿和已撤下的文章返回 404。")),
)
class ArticleViewSet(SiteLookupMixin, viewsets.ReadOnlyModelViewSet):
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = ArticleFilter
    lookup_value_regex = ID_LOOKUP_REGEX

    def get_serializer_class(self) -> type[ArticleListSerializer]:
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleListSerializer

    def get_queryset(self) -> PageQuerySet:
        articles = queries.published(ArticlePage.objects.all()).annotate(
            column_pk=parent_value(Page, "pk")
        )
        if self.action == "retrieve":
            return articles.prefetch_related(
                Prefetch("images", ArticleImage.objects.select_related("image")
                         .prefetch_related("image__renditions")),
                Prefetch("attachments", ArticleAttachment.objects.select_related("document")),
            )
        return articles.defer("body").order_by("-publication_date", "-pk")


@extend_schema_view(
    list=extend_schema(
        tags=TAGS, summary=_("信息报送列表（工作人员）"),
        description=_("本人所在机构报送的，以及报送到本人可编辑栏目、等待处理的信息。"),
        responses={200: SubmissionSerializer(many=True), 403: FORBIDDEN_RESPONSE},
    ),
    create=extend_schema(
        tags=TAGS, summary=_("报送文章（工作人员）"),
        description=_("把本机构已发布的文章报送到其他站点（如门户网站）的栏目。"),
        request=SubmissionCreateSerializer,
        responses={201: SubmissionSerializer, 400: INVALID_RESPONSE, 403: FORBIDDEN_RESPONSE},
    ),
)
class SubmissionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = SubmissionSerializer
    permission_classes = [IsStaffMember]
    lookup_value_regex = ID_LOOKUP_REGEX

    def get_queryset(self) -> QuerySet[ArticleSubmission]:
        if self.action in ("adopt", "decline"):
            # The action decides who may decide, so a refusal says why instead of 404.
            return ArticleSubmission.objects.all()
        user = self.request.user
        own = queries.submissions_by_bodies(bodies_of(user)).values("pk")
        to_review = queries.submissions_for_review(user).values("pk")
        return (
            ArticleSubmission.objects.filter(Q(pk__in=own) | Q(pk__in=to_review))
            .select_related("article", "target_column", "submitting_body", "submitted_by",
                            "decided_by")
            .order_by("-submitted_at", "-pk")
        )

    def create(self, request: Request) -> Response:
        data = SubmissionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = actions.submit_article_to_column(
            article=data.validated_data["article"],
            target_column=data.validated_data["target_column"],
            actor=request.user,
        )
        return Response(SubmissionSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS, summary=_("采用报送"), request=None,
        responses={200: SubmissionSerializer, 400: INVALID_RESPONSE, 403: FORBIDDEN_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk: str | None = None) -> Response:
        submission = actions.adopt_submission(submission=self.get_object(), actor=request.user)
        return Response(SubmissionSerializer(submission).data)

    @extend_schema(
        tags=TAGS, summary=_("不采用报送"), request=SubmissionDeclineSerializer,
        responses={200: SubmissionSerializer, 400: INVALID_RESPONSE, 403: FORBIDDEN_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        data = SubmissionDeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = actions.decline_submission(
            submission=self.get_object(), reason=data.validated_data["reason"], actor=request.user
        )
        return Response(SubmissionSerializer(submission).data)

    @extend_schema(
        tags=TAGS, summary=_("信息报送采用情况"),
        description=_("按机构和月份统计报送数、采用数、未采用数和待处理数。"),
        parameters=[AdoptionCountsQuerySerializer],
        responses={200: AdoptionCountSerializer(many=True), 400: INVALID_RESPONSE},
    )
    @action(detail=False, methods=["get"], url_path="adoption-counts",
            permission_classes=[AllowAny], pagination_class=None)
    def adoption_counts(self, request: Request) -> Response:
        params = AdoptionCountsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = queries.adoption_counts(
            year=params.validated_data["year"],
            month=params.validated_data.get("month"),
            body=params.validated_data.get("body"),
        )
        slugs = dict(
            Body.objects.filter(pk__in={row["body_id"] for row in rows}).values_list("pk", "slug")
        )
        counts = [{**row, "body": slugs[row["body_id"]], "body_name": row["body"]} for row in rows]
        return Response(AdoptionCountSerializer(counts, many=True).data)
