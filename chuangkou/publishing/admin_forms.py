"""Admin forms of the content checks: they parse input only; the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import IMPORT_MAX_BYTES, OVERRIDE_REASON_MIN_LENGTH
from .choices import ExpressionRuleKind, LexiconCategory, Severity


class LexiconEntryForm(forms.Form):
    term = forms.CharField(label=_("词条"), max_length=100)
    category = forms.ChoiceField(label=_("分类"), choices=LexiconCategory.choices,
                                 initial=LexiconCategory.OTHER)
    severity = forms.ChoiceField(label=_("级别"), choices=Severity.choices,
                                 initial=Severity.WARNING,
                                 help_text=_("“阻断”级问题未经保密审查员放行不能发布。"))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    source = forms.CharField(label=_("来源"), max_length=200, required=False)


class ExpressionRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ExpressionRuleKind.choices)
    wrong_text = forms.CharField(label=_("错误表述"), max_length=200, strip=False)
    is_regex = forms.BooleanField(label=_("正则表达式"), required=False)
    correction = forms.CharField(label=_("正确表述"), max_length=200, required=False)
    severity = forms.ChoiceField(label=_("级别"), choices=Severity.choices,
                                 initial=Severity.WARNING)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    source = forms.CharField(label=_("依据"), max_length=200, required=False)


class LexiconEntryEditForm(LexiconEntryForm):
    is_active = forms.BooleanField(label=_("启用"), required=False)


class ExpressionRuleEditForm(ExpressionRuleForm):
    is_active = forms.BooleanField(label=_("启用"), required=False)


class LexiconImportForm(forms.Form):
    file = forms.FileField(
        label=_("词库文件"),
        help_text=_("UTF-8 文本（.txt/.csv/.tsv，每行一个词条，可用制表符或逗号分隔“分类”“级别”）"
                    "或 XLSX 表格（列：词条、分类、级别），不超过 %(mb)d MB。整个文件有任何一行出错"
                    "都不会导入。") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)})
    default_category = forms.ChoiceField(label=_("未注明分类时"), choices=LexiconCategory.choices,
                                         initial=LexiconCategory.OTHER)
    default_severity = forms.ChoiceField(label=_("未注明级别时"), choices=Severity.choices,
                                         initial=Severity.WARNING)


class OverrideFindingForm(forms.Form):
    reason = forms.CharField(
        label=_("放行理由"), widget=forms.Textarea({"rows": 3}),
        min_length=OVERRIDE_REASON_MIN_LENGTH,
        help_text=_("写明为什么可以公开，例如“引用已公开的法规原文”“本人书面同意公开”。"),
        error_messages={"required": _("请写明放行理由。"),
                        "min_length": _("请写明放行理由（至少 %(limit_value)d 个字）。")})
