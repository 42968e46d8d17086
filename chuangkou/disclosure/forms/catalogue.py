"""Forms of the disclosure catalogue. They parse input only; the actions apply the rules."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from chuangkou.organizations.models import Body

from ..choices import (
    CategoryScheme,
    DisclosureAttribute,
    DisclosureMethod,
    Genre,
    ServiceAudience,
    Theme,
    Validity,
)
from ..models import CatalogueCategory, DisclosureRecord

SEARCH_MAX_LENGTH = 100
EARLIEST_YEAR = 1990


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        prefix = f"{obj.parent.name} › " if obj.parent_id else ""
        return f"{prefix}{obj.name}"


class BodyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class DisclosureRecordForm(forms.Form):
    """公开目录信息 of one page: the catalogue metadata (政府信息公开目录系统实施指引)."""

    body = BodyField(label=_("发布机构"), queryset=Body.objects.none())
    category = CategoryChoiceField(label=_("目录分类"), queryset=CatalogueCategory.objects.none())
    document_number = forms.CharField(label=_("文号"), max_length=80, required=False,
                                      help_text=_("例如：示教发〔2026〕3号；没有文号的留空。"))
    written_on = forms.DateField(label=_("成文日期"), widget=AdminDateInput)
    formed_on = forms.DateField(
        label=_("形成或变更日期"), widget=AdminDateInput,
        help_text=_("《条例》第二十六条：主动公开的信息自形成或者变更之日起20个工作日内公开。"))
    theme = forms.ChoiceField(label=_("主题分类"), choices=Theme.choices)
    genre = forms.ChoiceField(label=_("体裁分类"), choices=Genre.choices)
    audience = forms.ChoiceField(label=_("服务对象"), choices=ServiceAudience.choices)
    attribute = forms.ChoiceField(label=_("公开属性"), choices=DisclosureAttribute.choices)
    withheld_reason = forms.CharField(
        label=_("不主动公开的理由及依据"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("公开属性为依申请公开或不予公开时必填。选择后页面不会在网站上发布，已发布的将撤下。"))
    method = forms.ChoiceField(label=_("公开方式"), choices=DisclosureMethod.choices)
    summary = forms.CharField(label=_("内容概述"), max_length=100, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, bodies, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["category"].queryset = categories

    def clean(self):
        cleaned = super().clean()
        attribute = cleaned.get("attribute")
        if attribute and attribute != DisclosureAttribute.PROACTIVE \
                and not cleaned.get("withheld_reason", "").strip():
            self.add_error("withheld_reason", _("依申请公开或不予公开必须说明理由及依据。"))
        written, formed = cleaned.get("written_on"), cleaned.get("formed_on")
        if written and formed and formed < written:
            self.add_error("formed_on", _("形成或变更日期不能早于成文日期。"))
        return cleaned


class ReplacingRecordField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.index_number} {obj.title}"


class DocumentValidityForm(forms.Form):
    """有效性: mark a document lapsed or repealed and name the one replacing it."""

    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices)
    changed_on = forms.DateField(label=_("失效或废止日期"), widget=AdminDateInput,
                                 initial=timezone.localdate)
    replaced_by = ReplacingRecordField(label=_("替代文件"), required=False,
                                       queryset=DisclosureRecord.objects.none(),
                                       help_text=_("新文件替代本文件的，请选择新文件。"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = candidates


class CategoryCreateForm(forms.Form):
    """A body's own category: a sub-category, or a supervising department's sector kind."""

    body = BodyField(label=_("所属机构"), queryset=Body.objects.none())
    parent = CategoryChoiceField(
        label=_("上级分类"), required=False, queryset=CatalogueCategory.objects.none(),
        help_text=_("在法定分类或本机构分类下增加子分类；主管部门规定本行业办事公开类别时留空。"))
    scheme = forms.ChoiceField(
        label=_("目录体系"), required=False,
        choices=[("", "——")] + [(value, label) for value, label in CategoryScheme.choices
                                if value != CategoryScheme.STATUTORY],
        help_text=_("仅在上级分类留空时选择：主管部门自身的办事公开类别，或其主管的公共企事业单位的公开类别。"))
    name = forms.CharField(label=_("分类名称"), max_length=120)
    code = forms.SlugField(label=_("分类代码"), max_length=60, required=False,
                           help_text=_("英文字母、数字和连字符；留空自动生成。"))

    def __init__(self, *args, bodies, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["parent"].queryset = parents

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("parent") and not cleaned.get("scheme"):
            self.add_error("parent", _("请选择上级分类，或选择办事公开的目录体系。"))
        return cleaned


class CategoryEditForm(forms.Form):
    name = forms.CharField(label=_("分类名称"), max_length=120)
    is_active = forms.BooleanField(label=_("启用"), required=False)


def _optional_choice(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=[("", _("全部")), *list(choices)])


class CatalogueFilterForm(forms.Form):
    """The public catalogue's filters (plain GET). An invalid value is reported and ignored."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=SEARCH_MAX_LENGTH,
                        help_text=_("在名称、文号、索引号和内容概述中查找。"))
    body = forms.TypedChoiceField(label=_("公开主体"), required=False, coerce=int,
                                  empty_value=None)
    category = forms.TypedChoiceField(label=_("目录分类"), required=False, coerce=int,
                                      empty_value=None)
    theme = _optional_choice(_("主题分类"), Theme.choices)
    genre = _optional_choice(_("体裁分类"), Genre.choices)
    year = forms.TypedChoiceField(label=_("成文年份"), required=False, coerce=int,
                                  empty_value=None)
    validity = _optional_choice(_("有效性"), Validity.choices)

    def __init__(self, *args, bodies, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("全部"))] + [(b.pk, b.name) for b in bodies]
        self.fields["category"].choices = [("", _("全部"))] + [
            (c.pk, f"{'　' if c.parent_id else ''}{c.name}") for c in categories]
        this_year = date.today().year
        self.fields["year"].choices = [("", _("全部"))] + [
            (year, str(year)) for year in range(this_year, EARLIEST_YEAR - 1, -1)]

    def valid_filters(self) -> dict:
        """The filters that parsed; each invalid one is dropped (its error stays on the form)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items()
                if name not in self.errors and value not in (None, "")}
