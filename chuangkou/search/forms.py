"""The search request as the portal and the API accept it: validated at the edge, each refused
parameter named with its rule."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DocumentType
from .querying import Filters

__all__ = ["MAX_REQUEST_QUERY_CHARACTERS", "SearchForm"]

# The API refuses a longer query (400); the portal page cuts it and says so.
MAX_REQUEST_QUERY_CHARACTERS = 200


class SearchForm(forms.Form):
    q = forms.CharField(label=_("检索词"), required=False, strip=True)
    type = forms.ChoiceField(label=_("类型"), required=False,
                             choices=[("", _("全部")), *DocumentType.choices])
    site = forms.IntegerField(label=_("网站"), required=False, min_value=1,
                              error_messages={"invalid": _("网站须为正整数编号。")})
    column = forms.IntegerField(label=_("栏目"), required=False, min_value=1,
                                error_messages={"invalid": _("栏目须为正整数编号。")})
    body = forms.IntegerField(label=_("机构"), required=False, min_value=1,
                              error_messages={"invalid": _("机构须为正整数编号。")})
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1949, max_value=2100,
                              error_messages={"invalid": _("年份须为四位数字。")})
    category = forms.CharField(label=_("公开目录分类"), required=False, max_length=120)
    validity = forms.CharField(label=_("有效性"), required=False, max_length=20)
    page = forms.IntegerField(label=_("页码"), required=False, min_value=1,
                              error_messages={"invalid": _("页码须为正整数。")})

    def __init__(self, *args, strict_length: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.strict_length = strict_length

    def clean_q(self) -> str:
        query = self.cleaned_data.get("q") or ""
        if "\x00" in query:
            query = query.replace("\x00", "")
        if self.strict_length and len(query) > MAX_REQUEST_QUERY_CHARACTERS:
            raise forms.ValidationError(
                _("检索词不超过 %(limit)d 个字符（当前 %(length)d 个）。"),
                params={"limit": MAX_REQUEST_QUERY_CHARACTERS, "length": len(query)})
        return query

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(type=data.get("type") or "", site_id=data.get("site"),
                       column_id=data.get("column"), body_id=data.get("body"),
                       year=data.get("year"), category=data.get("category") or "",
                       validity=data.get("validity") or "")

    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1
