"""Forms of life-event guides: the public answers form (one radio group per question) and the
admin's guide form with its questions and steps formsets."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin

from ..choices import Audience
from ..guide_plans import GuideStructure

__all__ = [
    "GuideAnswersForm",
    "GuideForm",
    "GuideQuestionForm",
    "GuideQuestionFormSet",
    "GuideStepForm",
    "GuideStepFormSet",
    "option_lines",
]


class GuideAnswersForm(AccessibleFormMixin, forms.Form):
    """The questions of a guide as radio groups named ``q<question pk>`` (values are option
    keys), sent by GET so a plan has its own address. Always shown unbound with the valid
    answers as initial values: the plan, not the form, reports what was not understood."""

    def __init__(self, structure: GuideStructure, *, chosen: dict[int, int] | None = None):
        chosen = chosen or {}
        super().__init__(initial={f"q{pk}": str(option) for pk, option in chosen.items()},
                         auto_id="guide_%s")
        for question in structure.questions:
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=question.text, help_text=question.help_text, required=False,
                choices=[(str(option.pk), option.label) for option in question.options],
                widget=forms.RadioSelect)


def option_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class GuideForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100,
                            error_messages={"required": _("请填写场景名称。"),
                                            "max_length": _("名称不能超过100个字。")})
    slug = forms.SlugField(
        label=_("标识"), max_length=60,
        help_text=_("用于网址，如 marriage-registration；小写字母、数字和连字符。"),
        error_messages={"required": _("请填写标识。"),
                        "invalid": _("标识只能由字母、数字、下划线和连字符组成。"),
                        "max_length": _("标识不能超过60个字符。")})
    summary = forms.CharField(label=_("简介"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label=_("服务对象"), choices=Audience.choices,
                                 initial=Audience.PERSON)
    responsible_body = forms.ModelChoiceField(
        label=_("责任单位"), queryset=None,
        error_messages={"required": _("请选择责任单位。"),
                        "invalid_choice": _("只能选择您维护的单位。")})
    sort_order = forms.IntegerField(
        label=_("排序"), min_value=0, initial=0, validators=[MaxValueValidator(32767)],
        error_messages={"required": _("请填写排序号（0 及以上的整数）。"),
                        "invalid": _("排序号只能是整数。"),
                        "min_value": _("排序号不能小于0。"),
                        "max_value": _("排序号不能大于32767。")})

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_body"].queryset = bodies


class GuideQuestionForm(forms.Form):
    text = forms.CharField(label=_("问题"), max_length=200,
                           error_messages={"required": _("请填写问题。"),
                                           "max_length": _("问题不能超过200个字。")})
    help_text = forms.CharField(label=_("说明"), max_length=300, required=False,
                                error_messages={"max_length": _("说明不能超过300个字。")})
    options = forms.CharField(
        label=_("选项"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个选项，至少两个，如“是”“否”。"),
        error_messages={"required": _("请填写选项，每行一个。")})

    def clean_options(self):
        labels = option_lines(self.cleaned_data["options"])
        if len(labels) < 2:
            raise forms.ValidationError(_("每个问题至少要有两个选项，每行一个。"))
        return "\n".join(labels)


class GuideStepForm(forms.Form):
    title = forms.CharField(label=_("步骤名称"), max_length=100,
                            error_messages={"required": _("请填写步骤名称。"),
                                            "max_length": _("步骤名称不能超过100个字。")})
    description = forms.CharField(label=_("说明"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    item_code = forms.ChoiceField(
        label=_("服务事项"), required=False,
        error_messages={"invalid_choice": _("请从已公开的事项中选择。")})
    required_options = forms.MultipleChoiceField(
        label=_("适用条件"), required=False,
        help_text=_("全部选中这些回答时才需要这一步；不选表示总是需要。可多选（按住 Ctrl 或 ⌘）。"
                    "新增或修改问题、选项后，请先保存，再回来选择条件。"),
        error_messages={"invalid_choice": _("所选条件不存在，请刷新页面后重新选择。")})

    def __init__(self, *args, item_choices=(), option_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = [("", _("（不关联事项）")), *item_choices]
        self.fields["required_options"].choices = list(option_choices)


GuideQuestionFormSet = forms.formset_factory(GuideQuestionForm, extra=1, can_delete=True,
                                             max_num=20, validate_max=True)
GuideStepFormSet = forms.formset_factory(GuideStepForm, extra=2, can_delete=True, max_num=30,
                                         validate_max=True)
