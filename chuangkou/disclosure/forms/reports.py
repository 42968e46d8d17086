"""Admin forms of the annual report and the appeals: they parse input only; the actions decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..actions.reports import FIRST_REPORT_YEAR
from ..choices import AppealKind, AppealOutcome
from ..models import DisclosureApplication


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class GenerateReportForm(forms.Form):
    body = BodyChoiceField(label=_("报告机关"), queryset=None, empty_label=None,
                           error_messages={"required": _("请选择报告机关。"),
                                           "invalid_choice": _("只能为您所在的机关生成年报。")})
    year = forms.IntegerField(
        label=_("报告年度"), min_value=FIRST_REPORT_YEAR,
        error_messages={"required": _("请填写报告年度，例如 2025。"),
                        "invalid": _("报告年度应为四位数字年份。"),
                        "min_value": _("报告年度不能早于%(limit_value)s年。")},
        help_text=_("按所选年度的申请、答复、文件和复议诉讼数据生成统计表；已生成的年报保存为新的草稿版本，文字部分保留。"),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(_max_year_validator(this_year))
        self.fields["year"].initial = this_year - 1


def _max_year_validator(limit: int):
    def validate(value):
        if value is not None and value > limit:
            raise forms.ValidationError(_("报告年度不能晚于%(limit)s年。"), params={"limit": limit})
    return validate


class AppealForm(forms.Form):
    body = BodyChoiceField(label=_("被申请机关"), queryset=None, empty_label=None,
                           error_messages={"required": _("请选择被申请机关。"),
                                           "invalid_choice": _("只能登记您所在机关的案件。")})
    kind = forms.ChoiceField(label=_("类型"), choices=AppealKind.choices,
                             error_messages={"required": _("请选择类型。")})
    case_number = forms.CharField(label=_("案号"), max_length=80, required=False,
                                  help_text=_("例如（2025）示行复字第12号。"))
    filed_on = forms.DateField(label=_("立案日期"),
                               widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"required": _("请填写立案日期。"),
                                               "invalid": _("请填写有效日期，例如 2025-03-18。")})
    application_number = forms.CharField(
        label=_("相关申请编号"), max_length=40, required=False,
        help_text=_("案件所涉的依申请公开申请编号，可不填。"))

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies

    def clean(self):
        cleaned = super().clean()
        number = (cleaned.get("application_number") or "").strip()
        cleaned["application"] = None
        if number and cleaned.get("body") is not None:
            application = DisclosureApplication.objects.filter(
                body=cleaned["body"], number=number).first()
            if application is None:
                self.add_error("application_number", _("未找到本机关受理的该编号申请。"))
            cleaned["application"] = application
        return cleaned


class ConcludeAppealForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("审结结果"),
        choices=[choice for choice in AppealOutcome.choices if choice[0] != AppealOutcome.PENDING],
        error_messages={"required": _("请选择审结结果。")})
    concluded_on = forms.DateField(label=_("审结日期"),
                                   widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": _("请填写审结日期。"),
                                                   "invalid": _("请填写有效日期，例如 2025-09-30。")})
