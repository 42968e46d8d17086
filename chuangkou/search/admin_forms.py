"""Admin forms of the search tuning screens (搜索管理) and the statistics period: they parse
input only; the actions decide (``actions.create_synonym`` and the others), and the messages of
a refusal come back on the field that caused it."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from . import text
from .models import BestBet, GovernmentTerm, Synonym

__all__ = [
    "STATISTICS_PERIODS",
    "BestBetForm",
    "GovernmentTermEditForm",
    "GovernmentTermForm",
    "StatisticsPeriodForm",
    "SynonymForm",
]

REBUILD_NOTE = _("已索引的文档仍按原来的方式分词，运行 manage.py rebuild_search_index 重建索引后，"
                 "新词才对全部文档生效；新的检索和此后更新的文档立即按新词分词。")

# The periods the statistics screen offers (最近 7/30/90 天); anything else is refused.
STATISTICS_PERIODS = (7, 30, 90)


def _field_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class SynonymForm(forms.Form):
    terms = forms.CharField(
        label=_("同义词组"), max_length=_field_length(Synonym, "terms"),
        error_messages={"required": _("请填写同义词组。")},
        help_text=_("两个或更多词，用逗号、顿号或空格分隔，例如：医保，医疗保险。检索其中任一词时，"
                    "含有其他词的文档也会找到；下一次检索即生效。"))
    note = forms.CharField(label=_("备注"), max_length=_field_length(Synonym, "note"),
                           required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True,
                                   help_text=_("停用后保留记录，但检索时不再扩展。"))


class GovernmentTermForm(forms.Form):
    term = forms.CharField(
        label=_("词语"), max_length=_field_length(GovernmentTerm, "term"),
        error_messages={"required": _("请输入词语。"),
                        "max_length": _("词语不超过 %(limit_value)d 个字。")},
        help_text=format_lazy("{} {}", _("分词时保持完整的词，例如：一网通办、好差评。繁体和全角字符"
                                          "会自动转换。"), REBUILD_NOTE))
    note = forms.CharField(label=_("备注"), max_length=_field_length(GovernmentTerm, "note"),
                           required=False)

    def clean_term(self) -> str:
        term = self.cleaned_data["term"]
        # The action adds a term or changes the note of an existing one; on the add screen that
        # would silently overwrite another administrator's note. Compared the way the action
        # stores it (normalised, without spaces), so 養老 finds 养老.
        stored = text.normalise(term).replace(" ", "")
        if stored and GovernmentTerm.objects.filter(term=stored).exists():
            raise forms.ValidationError(
                _("“%(term)s”已在词库中，请在列表中编辑它。") % {"term": stored})
        return term


class GovernmentTermEditForm(GovernmentTermForm):
    """The word itself is fixed: to change it, delete it and add the new word."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].disabled = True
        self.fields["term"].help_text = _("词语不能修改；如需更换，请删除后重新添加。")

    def clean_term(self) -> str:
        return self.cleaned_data["term"]


class BestBetForm(forms.Form):
    queries = forms.CharField(
        label=_("触发词"), widget=forms.Textarea({"rows": 4}),
        error_messages={"required": _("请至少填写一个触发词，每行一个。")},
        help_text=_("每行一个检索词；访客的检索词与其中之一相同时显示（不区分繁简、全半角）。"))
    page = forms.ModelChoiceField(
        label=_("页面"), required=False,
        queryset=Page.objects.filter(depth__gt=1),
        widget=AdminPageChooser(can_choose_root=False),
        help_text=_("选择本站群的页面；页面未发布时不显示。"),
        error_messages={"invalid_choice": _("所选页面不存在，请重新选择。")})
    url = forms.CharField(
        label=_("链接地址"), max_length=_field_length(BestBet, "url"), required=False,
        help_text=_("不选页面时填写：本站地址以 / 开头（例如 /banshi/items/编码/），"
                    "外部地址以 https:// 开头。"))
    title = forms.CharField(label=_("标题"), max_length=_field_length(BestBet, "title"),
                            required=False, help_text=_("不填时使用页面标题；填写链接地址时必填。"))
    description = forms.CharField(
        label=_("说明"), max_length=_field_length(BestBet, "description"), required=False,
        widget=forms.Textarea({"rows": 2}))
    sort_order = forms.IntegerField(
        label=_("排序"), min_value=0, max_value=32767, initial=0,
        help_text=_("同一检索词有多条推荐时，数字小的排在前面。"),
        error_messages={"invalid": _("排序须为 0 到 32767 之间的整数。"),
                        "min_value": _("排序须为 0 到 32767 之间的整数。"),
                        "max_value": _("排序须为 0 到 32767 之间的整数。")})
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class StatisticsPeriodForm(forms.Form):
    """The period of the statistics screen (``?days=30``); a missing value means 30 days."""

    days = forms.TypedChoiceField(
        label=_("统计期间"), coerce=int, required=False, empty_value=30,
        choices=[(days, format_lazy(_("最近 {days} 天"), days=days)) for days in STATISTICS_PERIODS],
        error_messages={"invalid_choice": _("统计期间只能是最近 7 天、30 天或 90 天。")})
