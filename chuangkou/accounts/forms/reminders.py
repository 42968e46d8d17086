"""The citizen's reminder form (个性化提醒): what, when it is due and how many days before to be
reminded. The form checks each field's format; ``actions.reminders`` checks the dates against
today and its refusals come back onto the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin

from ..actions.reminders import MAX_DAYS_BEFORE, NOTE_MAX_LENGTH, TITLE_MAX_LENGTH
from ..choices import ReminderSource

__all__ = ["TITLE_SUGGESTIONS", "ReminderForm"]

# Things citizens most often want to be reminded of (offered as suggestions, not imposed).
TITLE_SUGGESTIONS = (
    _("身份证有效期到期"),
    _("机动车驾驶证换证"),
    _("护照有效期到期"),
    _("港澳通行证有效期到期"),
    _("社会保障卡年度认证"),
    _("居住证签注"),
    _("机动车年检"),
)

DAYS_BEFORE_DEFAULT = 30


class ReminderForm(AccessibleFormMixin, forms.Form):
    source = forms.ChoiceField(
        label=_("提醒类型"),
        choices=[(ReminderSource.DOCUMENT_EXPIRY, ReminderSource.DOCUMENT_EXPIRY.label),
                 (ReminderSource.MANUAL, ReminderSource.MANUAL.label)],
        initial=ReminderSource.DOCUMENT_EXPIRY, widget=forms.RadioSelect,
        error_messages={"required": _("请选择提醒类型。"),
                        "invalid_choice": _("请从“证件到期”和“自定义提醒”中选择一项。")})
    title = forms.CharField(
        label=_("提醒事项"), max_length=TITLE_MAX_LENGTH,
        help_text=_("例如：身份证有效期到期、机动车驾驶证换证。"),
        widget=forms.TextInput(attrs={"list": "reminder-title-suggestions",
                                      "autocomplete": "off"}),
        error_messages={"required": _("请填写提醒事项，例如“身份证有效期到期”。"),
                        "max_length": _("提醒事项不能超过%(limit_value)d个字（现有%(show_value)d个字）。")})
    due_on = forms.DateField(
        label=_("到期日期"),
        help_text=_("证件有效期截止或事项办理的日期，格式如 2026-08-01，不能早于今天。"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"],
        error_messages={"required": _("请填写到期日期。"),
                        "invalid": _("到期日期格式不正确，请按 2026-08-01 的格式填写。")})
    days_before = forms.IntegerField(
        label=_("提前几天提醒"), min_value=0, max_value=MAX_DAYS_BEFORE,
        initial=DAYS_BEFORE_DEFAULT,
        help_text=_("0表示到期当天提醒；证件换领一般建议提前30天以上。"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("请填写提前提醒的天数。"),
                        "invalid": _("提前天数应为整数，例如30。"),
                        "min_value": _("提前天数不能小于%(limit_value)d。"),
                        "max_value": _("提前天数不能超过%(limit_value)d天。")})
    note = forms.CharField(
        label=_("备注（选填）"), required=False, max_length=NOTE_MAX_LENGTH,
        help_text=_("例如需要准备的材料。请勿填写证件号码等个人敏感信息。"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("备注不能超过%(limit_value)d个字（现有%(show_value)d个字）。")})

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data["note"].split())

    def reminder_fields(self) -> dict:
        data = self.cleaned_data
        return {"source": data["source"], "title": data["title"], "due_on": data["due_on"],
                "days_before": data["days_before"], "note": data["note"]}
