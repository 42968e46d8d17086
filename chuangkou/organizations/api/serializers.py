from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chuangkou.organizations.models import Body


class BodySerializer(serializers.ModelSerializer):
    """政府机构 as published: identity and contact details, and its place in the tree."""

    kind_display = serializers.CharField(
        source="get_kind_display", read_only=True, help_text=_("机构类型的中文名称")
    )
    parent = serializers.CharField(
        source="parent_slug", read_only=True, allow_null=True,
        help_text=_("上级机构的标识；最高一级机构为 null"),
    )
    depth = serializers.IntegerField(read_only=True, help_text=_("在机构树中的层级，从 1 开始"))

    class Meta:
        model = Body
        fields = ["name", "short_name", "slug", "kind", "kind_display", "credit_code",
                  "division_code", "address", "phone", "office_hours", "parent", "depth"]
        read_only_fields = fields
