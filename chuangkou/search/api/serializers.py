"""The search API's request parameters (validated: 400 with field messages) and response."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..choices import DocumentType
from ..forms import MAX_REQUEST_QUERY_CHARACTERS
from ..querying import Filters

MAX_PER_PAGE = 50


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_REQUEST_QUERY_CHARACTERS, allow_blank=False, trim_whitespace=True,
        help_text=_("检索词：中文（简体或繁体）、拼音全拼或首字母、索引号、文号"),
        error_messages={"blank": _("请输入检索词。"), "required": _("请输入检索词。"),
                        "max_length": _("检索词不超过 {max_length} 个字符。")})
    type = serializers.ChoiceField(choices=DocumentType.choices, required=False,
                                   help_text=_("结果类型"))
    site = serializers.IntegerField(required=False, min_value=1, help_text=_("只查某个网站"))
    column = serializers.IntegerField(required=False, min_value=1, help_text=_("只查某个栏目"))
    body = serializers.IntegerField(required=False, min_value=1, help_text=_("发布或实施机构"))
    year = serializers.IntegerField(required=False, min_value=1949, max_value=2100,
                                    help_text=_("年份"))
    category = serializers.CharField(required=False, max_length=120,
                                     help_text=_("公开目录分类（政府信息公开文件）"))
    validity = serializers.CharField(required=False, max_length=20,
                                     help_text=_("有效性：有效、失效、废止"))
    page = serializers.IntegerField(required=False, min_value=1, default=1,
                                    help_text=_("页码；超过末页返回空页"))
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PER_PAGE,
                                         default=10, help_text=_("每页条数"))

    def validate_q(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError(_("检索词含有不允许的控制字符。"))
        return value

    def filters(self) -> Filters:
        data = self.validated_data
        return Filters(type=data.get("type", ""), site_id=data.get("site"),
                       column_id=data.get("column"), body_id=data.get("body"),
                       year=data.get("year"), category=data.get("category", ""),
                       validity=data.get("validity", ""))


class SuggestionQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=40, help_text=_("已输入的前缀：中文或拼音"),
                              error_messages={"blank": _("请输入前缀。"),
                                              "required": _("请输入前缀。"),
                                              "max_length": _("前缀不超过 {max_length} 个字符。")})


class HitSerializer(serializers.Serializer):
    key = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    title = serializers.CharField()
    title_html = serializers.CharField(help_text=_("已转义的标题，命中词用 <mark> 标出"))
    snippet_html = serializers.CharField(help_text=_("已转义的摘要，命中词用 <mark> 标出"))
    url = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    site_id = serializers.IntegerField(allow_null=True)
    site_name = serializers.CharField()
    body_id = serializers.IntegerField(allow_null=True)
    body_name = serializers.CharField()
    index_number = serializers.CharField()
    document_number = serializers.CharField()
    category = serializers.CharField()
    validity = serializers.CharField()
    score = serializers.FloatField()


class FacetCountSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class BestBetSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    description = serializers.CharField()


class ExpansionSerializer(serializers.Serializer):
    word = serializers.CharField()
    terms = serializers.ListField(child=serializers.CharField())


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField(help_text=_("规范化后的检索词"))
    truncated = serializers.BooleanField()
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    page_count = serializers.IntegerField()
    partial = serializers.BooleanField(help_text=_("没有同时包含全部检索词的结果，返回包含部分词语的结果"))
    suggestion = serializers.CharField(allow_null=True, help_text=_("您是不是要找"))
    expansions = ExpansionSerializer(many=True)
    best_bets = BestBetSerializer(many=True)
    direct_answers = HitSerializer(many=True, help_text=_("与检索词匹配的办事服务"))
    results = HitSerializer(many=True)
    facets = serializers.DictField(child=FacetCountSerializer(many=True))


class SuggestionResponseSerializer(serializers.Serializer):
    suggestions = serializers.ListField(child=serializers.CharField())
