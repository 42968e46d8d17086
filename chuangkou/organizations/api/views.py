from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from chuangkou.api.fields import ModelChoiceFilter
from chuangkou.api.trees import parent_value
from chuangkou.organizations.choices import BodyKind
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import body_tree

from .serializers import BodySerializer

TAGS = ["机构"]


class BodyFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=BodyKind.choices, help_text=_("机构类型"))
    parent = ModelChoiceFilter(
        queryset=Body.objects.all(), to_field_name="slug", method="filter_parent",
        help_text=_("上级机构的标识：只列出它的直属下级机构"),
    )

    class Meta:
        model = Body
        fields = ["kind", "parent"]

    def filter_parent(self, queryset: QuerySet[Body], name: str, value: Body) -> QuerySet[Body]:
        return queryset.filter(path__startswith=value.path, depth=value.depth + 1)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary=_("政府机构列表"),
                       description=_("按机构树顺序（深度优先）列出政府机构。")),
    retrieve=extend_schema(tags=TAGS, summary=_("政府机构详情")),
)
class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BodySerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = BodyFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    def get_queryset(self) -> QuerySet[Body]:
        return body_tree().annotate(parent_slug=parent_value(Body, "slug"))
