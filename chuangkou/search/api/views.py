"""The search API: ``/api/v1/search/`` and ``/api/v1/search/suggestions/``."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import actions
from ..choices import DocumentType
from ..queries import SearchOutcome, run_search, suggest
from .serializers import (
    SearchQuerySerializer,
    SearchResponseSerializer,
    SuggestionQuerySerializer,
    SuggestionResponseSerializer,
)

TAGS = ["搜索"]
INVALID = OpenApiResponse(description=_("参数有误：各字段的错误信息，如 {\"q\": [\"…\"]}"))


def _hit(hit) -> dict:
    data = asdict(hit)
    data["type_label"] = (str(DocumentType(hit.type).label) if hit.type in DocumentType.values
                          else hit.type)
    return data


def outcome_data(outcome: SearchOutcome) -> dict:
    return {
        "query": outcome.parsed.text,
        "truncated": outcome.parsed.truncated,
        "total": outcome.total,
        "page": outcome.page,
        "page_count": outcome.page_count,
        "partial": outcome.partial,
        "suggestion": outcome.suggestion,
        "expansions": [{"word": word, "terms": list(terms)}
                       for word, terms in outcome.parsed.expansions],
        "best_bets": [asdict(bet) for bet in outcome.best_bets],
        "direct_answers": [_hit(hit) for hit in outcome.direct_answers],
        "results": [_hit(hit) for hit in outcome.hits],
        "facets": {name: [asdict(count) for count in counts]
                   for name, counts in outcome.facets.items()},
    }


class SearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, operation_id="search",
        summary=_("全站检索"),
        description=_("在站群全部公开内容中检索（文章、政府信息公开文件、办事服务、场景式服务、"
                      "公开信件）。返回推荐结果、匹配的办事服务、带高亮摘要的结果、分面计数和"
                      "纠错建议。"),
        parameters=[SearchQuerySerializer],
        responses={200: SearchResponseSerializer, 400: INVALID},
    )
    def get(self, request: Request) -> Response:
        parameters = SearchQuerySerializer(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        data = parameters.validated_data
        outcome = run_search(query=data["q"], filters=parameters.filters(), page=data["page"],
                             per_page=data["page_size"])
        if outcome.page == 1 and not outcome.parsed.is_empty:
            actions.record_search(query=outcome.parsed.text, found=outcome.total)
        return Response(outcome_data(outcome))


class SuggestionView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS, operation_id="search_suggestions", summary=_("输入提示"),
        description=_("按中文或拼音（全拼、首字母）前缀给出建议词。"),
        parameters=[SuggestionQuerySerializer],
        responses={200: SuggestionResponseSerializer, 400: INVALID},
    )
    def get(self, request: Request) -> Response:
        parameters = SuggestionQuerySerializer(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        return Response({"suggestions": suggest(parameters.validated_data["q"])})
