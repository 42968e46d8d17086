"""Forms of 预约服务: the citizen's booking form, the lookup by number and query code, the
booker's cancellation, the list filter; and the staff forms (resource, slot, slot
cancellation, attendance result, staff cancellation).

Forms parse and validate input with a message naming each field's rule; the change itself is
made by ``actions.bookings``, whose refusals come back onto the fields."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin
from chuangkou.organizations.models import Body

from ..actions.bookings import (
    MAX_SLOT_CAPACITY,
    REASON_MIN_CHARS,
    RESULT_NOTE_MAX_CHARS,
    BookerInput,
    normalise_mobile,
)
from ..choices import BookableResourceKind, BookingStatus
from ..models import ServiceItem

__all__ = [
    "BookingCancelForm",
    "BookingForm",
    "BookingListFilterForm",
    "BookingQueryForm",
    "BookingResultForm",
    "ResourceForm",
    "SlotCancelForm",
    "SlotForm",
    "StaffBookingCancelForm",
    "new_form_token",
]

NAME_MAX_LENGTH = 60
CITIZEN_REASON_MAX_LENGTH = 200
STAFF_REASON_MAX_LENGTH = 250


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


# --- Public ----------------------------------------------------------------------------------


class BookingForm(AccessibleFormMixin, forms.Form):
    """预约: who books (kept apart from the booking, never published) and their consent."""

    name = forms.CharField(
        label=_("姓名"), max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("请填写预约人姓名。"),
                        "max_length": _("姓名不能超过%(limit_value)d个字（现有%(show_value)d个字）。")})
    phone = forms.CharField(
        label=_("手机号码"), max_length=20,
        help_text=_("11位手机号码，用于现场核对；同一手机号码每个时段只能预约一次。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("请填写手机号码。"),
                        "max_length": _("手机号码不能超过%(limit_value)d个字符。")})
    email = forms.EmailField(
        label=_("电子邮箱（选填）"), required=False, max_length=254,
        help_text=_("填写后，预约成功或时段取消时会发邮件通知您。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("电子邮箱格式不正确，例如 wang@example.cn。"),
                        "max_length": _("电子邮箱不能超过%(limit_value)d个字符。")})
    consent = forms.BooleanField(
        label=_("我同意提供单位使用以上信息安排和核对本次预约"),
        help_text=_("姓名和手机号码只用于本次预约的安排、现场核对和通知，不会公开，"
                    "也不会用于其他用途。"),
        error_messages={"required": _("请勾选同意，否则无法安排预约。")})
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64,
                                 error_messages={"required": _("表单已失效，请刷新页面后重新提交。")})

    summary_labels = {"consent": _("同意使用预约信息")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        phone = normalise_mobile(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError(
                _("请填写11位手机号码，例如 13912345678。"), code="invalid")
        return phone

    def booker_input(self) -> BookerInput:
        data = self.cleaned_data
        return BookerInput(name=data["name"], phone=data["phone"], email=data.get("email", ""))


class BookingQueryForm(AccessibleFormMixin, forms.Form):
    """预约查询: number and query code in a POST body, never in a URL."""

    number = forms.CharField(
        label=_("预约编号"), max_length=24,
        help_text=_("预约成功后页面显示的编号，如 YY2026000001。"),
        error_messages={"required": _("请填写预约编号。"),
                        "max_length": _("预约编号不能超过%(limit_value)d个字符。")})
    code = forms.CharField(
        label=_("查询码"), max_length=20,
        help_text=_("预约成功后页面显示的8位查询码，不区分大小写。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("请填写查询码。"),
                        "max_length": _("查询码不能超过%(limit_value)d个字符。")})

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split()).upper()


class BookingCancelForm(AccessibleFormMixin, forms.Form):
    """The booker's own cancellation (取消预约), the reason optional."""

    reason = forms.CharField(
        label=_("取消原因（选填）"), required=False, max_length=CITIZEN_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("取消原因不能超过%(limit_value)d个字。")})


class BookingListFilterForm(forms.Form):
    """The list's GET filter (kind and body); unknown values are ignored, not errors."""

    kind = forms.ChoiceField(label=_("类型"), required=False,
                             choices=[("", _("全部类型")), *BookableResourceKind.choices])
    body = forms.ChoiceField(label=_("提供单位"), required=False)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("全部单位")),
                                       *((body.slug, body.name) for body in bodies)]


# --- Staff -----------------------------------------------------------------------------------


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Body) -> str:
        return obj.name


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceItem) -> str:
        return f"{obj.name}（{obj.code}）"


class ResourceForm(forms.Form):
    """预约资源: what citizens book, where, and whether it is open for booking."""

    name = forms.CharField(label=_("名称"), max_length=100,
                           error_messages={"required": _("请填写名称。")})
    kind = forms.ChoiceField(label=_("类型"), choices=BookableResourceKind.choices,
                             error_messages={"required": _("请选择类型。"),
                                             "invalid_choice": _("请从列出的类型中选择。")})
    body = BodyChoiceField(label=_("提供单位"), queryset=Body.objects.none(), empty_label=None,
                           error_messages={"required": _("请选择提供单位。"),
                                           "invalid_choice": _("只能选择您管理的单位。")})
    item = ItemChoiceField(label=_("对应事项（选填）"), queryset=ServiceItem.objects.none(),
                           required=False,
                           help_text=_("大厅办事预约可关联提供单位的一个办事事项。"),
                           error_messages={"invalid_choice": _("只能选择您管理的单位的事项。")})
    place = forms.CharField(label=_("地点"), max_length=200,
                            error_messages={"required": _("请填写地点。")})
    description = forms.CharField(label=_("说明（选填）"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    requires_account = forms.BooleanField(label=_("须登录后预约"), required=False)
    cancel_hours_before = forms.IntegerField(
        label=_("最晚取消（开始前小时数）"), min_value=0, max_value=720, initial=2,
        error_messages={"required": _("请填写小时数。"),
                        "min_value": _("不能小于%(limit_value)s。"),
                        "max_value": _("不能超过%(limit_value)s小时。"),
                        "invalid": _("请填写整数。")})
    is_published = forms.BooleanField(label=_("公开并接受预约"), required=False)

    def __init__(self, *args, bodies=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies
        if items is not None:
            self.fields["item"].queryset = items

    def resource_fields(self) -> dict:
        return dict(self.cleaned_data)


class SlotForm(forms.Form):
    """预约时段: start, end and the number of places."""

    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                     format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"required": _("请填写开始时间。"),
                        "invalid": _("请按“2026-11-30 09:00”的格式填写开始时间。")})
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                     format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"required": _("请填写结束时间。"),
                        "invalid": _("请按“2026-11-30 11:00”的格式填写结束时间。")})
    capacity = forms.IntegerField(
        label=_("名额"), min_value=1, max_value=MAX_SLOT_CAPACITY,
        error_messages={"required": _("请填写名额。"), "invalid": _("名额须为整数。"),
                        "min_value": _("名额至少为%(limit_value)s。"),
                        "max_value": _("名额不能超过%(limit_value)s。")})


class SlotCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"), min_length=REASON_MIN_CHARS, max_length=STAFF_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("会通过邮件告知已预约的群众。"),
        error_messages={"required": _("请填写取消原因。"),
                        "min_length": _("取消原因至少%(limit_value)d个字。"),
                        "max_length": _("取消原因不能超过%(limit_value)d个字。")})


class StaffBookingCancelForm(SlotCancelForm):
    pass


class BookingResultForm(forms.Form):
    status = forms.ChoiceField(
        label=_("到场结果"), widget=forms.RadioSelect,
        choices=[(BookingStatus.ATTENDED, BookingStatus.ATTENDED.label),
                 (BookingStatus.NO_SHOW, BookingStatus.NO_SHOW.label)],
        error_messages={"required": _("请选择到场结果。"),
                        "invalid_choice": _("请选择“已到场”或“未到场”。")})
    note = forms.CharField(label=_("说明（选填）"), required=False,
                           max_length=RESULT_NOTE_MAX_CHARS,
                           error_messages={"max_length": _("说明不能超过%(limit_value)d个字。")})

