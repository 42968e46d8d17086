"""Forms of applications: the online application form built from the item's
``OnlineFormField`` rows (no code per item), the lookup, the supplement and withdrawal forms,
and the staff forms of each action.

Forms parse and validate; ``actions.submit_application`` re-checks the answers with the very
same fields (``answer_field``). Every message names its field; the error summary prefixes the
field's label ("学生姓名：请填写学生姓名。").
"""

import re
import secrets
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangkou.core.form_fields import AccessibleFormMixin, MultipleFileField
from chuangkou.core.validators import is_valid_credit_code, resident_id_problem

from ..actions.applications import (
    MAX_FILES_PER_MATERIAL,
    MOBILE_PATTERN,
    ApplicantInput,
)
from ..choices import Audience, DeliveryMethod, FormFieldKind, RequiredIdentity
from ..models import OnlineFormField, ServiceItem, ServiceMaterial

__all__ = [
    "AcceptForm",
    "ApplicationFilterForm",
    "ApplicationFormBase",
    "ConfirmPaymentForm",
    "DecideForm",
    "DeliverForm",
    "PassOnForm",
    "PaymentRequestForm",
    "ProxyBodyForm",
    "QueryForm",
    "RefuseForm",
    "StepForm",
    "SupplementForm",
    "SupplementRequestForm",
    "WithdrawForm",
    "answer_field",
    "answer_field_name",
    "answer_to_json",
    "build_application_form",
    "material_field_name",
    "new_form_token",
]

OPTIONAL = gettext_lazy("（选填）")
TEXT_DEFAULT_MAX = 200
TEXTAREA_DEFAULT_MAX = 2000


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def answer_field_name(field: OnlineFormField) -> str:
    return f"answer_{field.name}"


def material_field_name(material: ServiceMaterial) -> str:
    return f"material_{material.pk}"


def answer_to_json(value):
    """A cleaned answer as stored in ``ServiceApplication.answers``."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return value


def _pattern_validator(field: OnlineFormField):
    try:
        compiled = re.compile(field.pattern)
    except re.error:
        return None
    message = field.pattern_message or _("%(label)s的格式不正确。") % {"label": field.label}

    def validate(value):
        if value not in (None, "") and not compiled.fullmatch(str(value)):
            raise ValidationError(message, code="pattern")

    return validate


def _mobile_validator(label: str):
    def validate(value):
        if value and not MOBILE_PATTERN.fullmatch(value):
            raise ValidationError(_("%(label)s应为以1开头的11位手机号码。") % {"label": label},
                                  code="invalid")
    return validate


def _resident_id_validator(value):
    if value and (problem := resident_id_problem(value.upper())):
        raise ValidationError(problem, code="invalid")


def _credit_code_validator(value):
    if value and not is_valid_credit_code(value.upper()):
        raise ValidationError(
            _("统一社会信用代码应为18位且校验位正确（GB 32100），请核对。"), code="invalid")


def answer_field(field: OnlineFormField) -> forms.Field:
    """The Django form field of one ``OnlineFormField``, messages naming the field."""
    label = field.label
    required = field.is_required
    common = {"label": label if required or field.kind == FormFieldKind.CHECKBOX
              else f"{label}{OPTIONAL}",
              "required": required, "help_text": field.help_text}
    messages = {"required": _("请填写%(label)s。") % {"label": label}}
    validators = []
    kind = field.kind
    text_kinds = (FormFieldKind.TEXT, FormFieldKind.TEXTAREA, FormFieldKind.PHONE,
                  FormFieldKind.RESIDENT_ID, FormFieldKind.CREDIT_CODE, FormFieldKind.EMAIL)
    if field.pattern and kind in text_kinds and (validator := _pattern_validator(field)):
        validators.append(validator)
    length_messages = {
        "max_length": _("%(label)s不能超过%%(limit_value)d个字（现有%%(show_value)d个字）。")
        % {"label": label}}
    if kind in (FormFieldKind.TEXT, FormFieldKind.TEXTAREA):
        textarea = kind == FormFieldKind.TEXTAREA
        limit = field.max_length or (TEXTAREA_DEFAULT_MAX if textarea else TEXT_DEFAULT_MAX)
        return forms.CharField(
            max_length=limit, validators=validators,
            widget=forms.Textarea(attrs={"rows": 5}) if textarea else forms.TextInput,
            error_messages={**messages, **length_messages}, **common)
    if kind == FormFieldKind.INTEGER:
        return forms.IntegerField(
            min_value=int(field.min_value) if field.min_value is not None else None,
            max_value=int(field.max_value) if field.max_value is not None else None,
            error_messages={**messages,
                            "invalid": _("%(label)s须为整数。") % {"label": label},
                            "min_value": _("%(label)s不能小于%%(limit_value)s。") % {"label": label},
                            "max_value": _("%(label)s不能大于%%(limit_value)s。") % {"label": label}},
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common)
    if kind == FormFieldKind.DECIMAL:
        return forms.DecimalField(
            max_digits=14, decimal_places=2, min_value=field.min_value,
            max_value=field.max_value,
            error_messages={
                **messages,
                "invalid": _("%(label)s须为数字。") % {"label": label},
                "min_value": _("%(label)s不能小于%%(limit_value)s。") % {"label": label},
                "max_value": _("%(label)s不能大于%%(limit_value)s。") % {"label": label},
                "max_decimal_places": _("%(label)s最多保留两位小数。") % {"label": label},
                "max_digits": _("%(label)s的数值过大。") % {"label": label},
                "max_whole_digits": _("%(label)s的数值过大。") % {"label": label}},
            **common)
    if kind == FormFieldKind.DATE:
        return forms.DateField(
            input_formats=["%Y-%m-%d"], widget=forms.DateInput(attrs={"type": "date"},
                                                               format="%Y-%m-%d"),
            error_messages={**messages, "invalid": _(
                "%(label)s须为有效日期，格式如 2026-09-01。") % {"label": label}}, **common)
    if kind == FormFieldKind.EMAIL:
        return forms.EmailField(
            max_length=254, validators=validators,
            error_messages={**messages, **length_messages, "invalid": _(
                "%(label)s格式不正确，例如 wang@example.cn。") % {"label": label}}, **common)
    if kind == FormFieldKind.PHONE:
        return forms.CharField(
            max_length=11, validators=[_mobile_validator(label), *validators],
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            error_messages={**messages, "max_length": _(
                "%(label)s应为以1开头的11位手机号码。") % {"label": label}}, **common)
    if kind == FormFieldKind.RESIDENT_ID:
        return forms.CharField(
            max_length=18, validators=[_resident_id_validator, *validators],
            error_messages={**messages, "max_length": _(
                "%(label)s应为18位。") % {"label": label}}, **common)
    if kind == FormFieldKind.CREDIT_CODE:
        return forms.CharField(
            max_length=18, validators=[_credit_code_validator, *validators],
            error_messages={**messages, "max_length": _(
                "%(label)s应为18位。") % {"label": label}}, **common)
    if kind in (FormFieldKind.CHOICE, FormFieldKind.MULTIPLE_CHOICE):
        choices = [(option, option) for option in field.choice_list]
        choice_messages = {"required": _("请选择%(label)s。") % {"label": label},
                           "invalid_choice": _("请从列出的选项中选择%(label)s。") % {"label": label},
                           "invalid_list": _("请从列出的选项中选择%(label)s。") % {"label": label}}
        if kind == FormFieldKind.CHOICE:
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect,
                                     error_messages=choice_messages, **common)
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple,
                                         error_messages=choice_messages, **common)
    if kind == FormFieldKind.CHECKBOX:
        return forms.BooleanField(error_messages={"required": _(
            "请勾选“%(label)s”。") % {"label": label}}, **common)
    raise ValueError(f"unknown form field kind {kind!r}")


# --- The application form --------------------------------------------------------------------


class ApplicationFormBase(AccessibleFormMixin, forms.Form):
    """网上申请表: the applicant (by the item's audience), the item's own fields, one upload
    per material and the form token. ``build_application_form`` makes one per item."""

    item: ServiceItem = None
    applicant_fields = ("kind", "enterprise_name", "credit_code", "name", "resident_id",
                        "phone", "email", "address")
    answer_names: tuple[str, ...] = ()
    material_names: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or self._fixed_kind()
        if kind == Audience.ENTERPRISE:
            for name, message in (("enterprise_name", _("请填写单位名称。")),
                                  ("credit_code", _("请填写统一社会信用代码。"))):
                if name in self.fields and not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        elif (kind == Audience.PERSON and "resident_id" in self.fields
              and self.item.required_identity == RequiredIdentity.REAL_NAME
              and not cleaned.get("resident_id") and "resident_id" not in self.errors):
            self.add_error("resident_id", _("本事项须实名申请，请填写居民身份证号码。"))
        return cleaned

    def _fixed_kind(self) -> str:
        return Audience.ENTERPRISE if self.item.audience == Audience.ENTERPRISE \
            else Audience.PERSON

    def applicant_input(self) -> ApplicantInput:
        data = self.cleaned_data
        return ApplicantInput(
            kind=data.get("kind") or self._fixed_kind(), name=data.get("name", ""),
            phone=data.get("phone", ""), resident_id=data.get("resident_id", ""),
            email=data.get("email", ""), address=data.get("address", ""),
            enterprise_name=data.get("enterprise_name", ""),
            credit_code=data.get("credit_code", ""))

    def answers(self) -> dict:
        return {name.removeprefix("answer_"): answer_to_json(self.cleaned_data.get(name))
                for name in self.answer_names}

    def uploads(self) -> dict[int, list]:
        return {int(name.removeprefix("material_")): list(self.cleaned_data.get(name) or [])
                for name in self.material_names}

    def answer_fields(self):
        return [self[name] for name in self.answer_names]

    def material_fields(self):
        return [self[name] for name in self.material_names]

    def applicant_bound_fields(self):
        return [self[name] for name in self.applicant_fields if name in self.fields]

    def add_violation(self, errors: dict) -> None:
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class _MaterialFilesField(MultipleFileField):
    """The files of one material, at most ``MAX_FILES_PER_MATERIAL``."""

    def __init__(self, *args, material: ServiceMaterial, **kwargs):
        self.material = material
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = super().clean(data, initial)
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES_PER_MATERIAL:
            raise ValidationError(_("“%(name)s”最多上传%(n)d个文件。") % {
                "name": self.material.name, "n": MAX_FILES_PER_MATERIAL})
        return files


def _applicant_fields(item: ServiceItem) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    enterprise_possible = item.audience in (Audience.ENTERPRISE, Audience.BOTH)
    if item.audience == Audience.BOTH:
        fields["kind"] = forms.ChoiceField(
            label=_("申请人类型"), widget=forms.RadioSelect,
            choices=[(Audience.PERSON, _("个人")), (Audience.ENTERPRISE, _("法人（单位）"))],
            error_messages={"required": _("请选择申请人类型。"),
                            "invalid_choice": _("请选择个人或法人。")})
    if enterprise_possible:
        fields["enterprise_name"] = forms.CharField(
            label=_("单位名称"), max_length=200, required=False,
            help_text=_("以法人身份申请时填写。") if item.audience == Audience.BOTH else "",
            error_messages={"max_length": _("单位名称不能超过%(limit_value)d个字。")})
        fields["credit_code"] = forms.CharField(
            label=_("统一社会信用代码"), max_length=18, required=False,
            validators=[_credit_code_validator],
            help_text=_("18位，见营业执照。"),
            error_messages={"max_length": _("统一社会信用代码应为18位。")})
    person_label = _("经办人姓名") if item.audience == Audience.ENTERPRISE else _("申请人姓名")
    fields["name"] = forms.CharField(
        label=person_label, max_length=60,
        error_messages={"required": _("请填写%(label)s。") % {"label": person_label},
                        "max_length": _("姓名不能超过%(limit_value)d个字。")})
    if item.audience != Audience.ENTERPRISE:
        real_name = item.required_identity == RequiredIdentity.REAL_NAME
        fields["resident_id"] = forms.CharField(
            label=_("居民身份证号码") if real_name else _("居民身份证号码（选填）"),
            max_length=18, required=False, validators=[_resident_id_validator],
            help_text=_("18位，最后一位可能是X。"),
            error_messages={"max_length": _("居民身份证号码应为18位。")})
    fields["phone"] = forms.CharField(
        label=_("手机号码"), max_length=11, validators=[_mobile_validator(_("手机号码"))],
        help_text=_("用于接收办理进度短信。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("请填写手机号码。"),
                        "max_length": _("手机号码应为以1开头的11位数字。")})
    fields["email"] = forms.EmailField(
        label=_("电子邮箱（选填）"), required=False, max_length=254,
        help_text=_("填写后，办理进度会发邮件告知。"),
        error_messages={"invalid": _("电子邮箱格式不正确，例如 wang@example.cn。")})
    fields["address"] = forms.CharField(
        label=_("联系地址（选填）"), max_length=200, required=False,
        error_messages={"max_length": _("联系地址不能超过%(limit_value)d个字。")})
    return fields


def _for_enterprise(fields: dict[str, forms.Field], enterprise) -> None:
    """A citizen acting for an enterprise (法人) applies in its name: its name and credit code
    are shown, not typed (a disabled field keeps its initial value whatever is posted)."""
    if "enterprise_name" not in fields:
        return
    if "kind" in fields:
        fields["kind"].initial = Audience.ENTERPRISE
    for name, value in (("enterprise_name", enterprise.name),
                        ("credit_code", enterprise.credit_code)):
        fields[name].initial = value
        fields[name].disabled = True
    fields["enterprise_name"].help_text = _("您正以“%(name)s”经办人的身份办理，"
                                            "申请将记入该单位，单位成员均可查看。") % {
        "name": enterprise.name}


def build_application_form(item: ServiceItem, *, enterprise=None) -> type[ApplicationFormBase]:
    """The application form class of ``item`` (its fields and materials read once); with the
    ``enterprise`` a citizen acts for, its name and credit code filled in."""
    attrs: dict = _applicant_fields(item)
    if enterprise is not None:
        _for_enterprise(attrs, enterprise)
    answer_names = []
    for field in item.form_fields.all():
        attrs[answer_field_name(field)] = answer_field(field)
        answer_names.append(answer_field_name(field))
    material_names = []
    for material in item.materials.all():
        name = material_field_name(material)
        required = material.upload_required
        attrs[name] = _MaterialFilesField(
            material=material, required=required,
            label=material.name if required else f"{material.name}{OPTIONAL}",
            help_text=_("最多%(n)d个文件，按内容检查格式：PDF、JPG、PNG、DOCX、XLSX、OFD。") % {
                "n": MAX_FILES_PER_MATERIAL},
            error_messages={"required": _("请上传“%(name)s”的电子件。") % {
                "name": material.name}})
        material_names.append(name)
    attrs["form_token"] = forms.CharField(widget=forms.HiddenInput, max_length=64)
    attrs.update(item=item, answer_names=tuple(answer_names),
                 material_names=tuple(material_names),
                 summary_labels={"form_token": _("表单")})
    return type(f"ApplicationForm_{item.pk}", (ApplicationFormBase,), attrs)


# --- Lookup, supplement, withdrawal ----------------------------------------------------------


class QueryForm(AccessibleFormMixin, forms.Form):
    number = forms.CharField(label=_("办件编号"), max_length=24,
                             help_text=_("回执上的办件编号，如 BJ2026000001。"),
                             error_messages={"required": _("请填写办件编号。"),
                                             "max_length": _("办件编号不超过24位。")})
    code = forms.CharField(label=_("查询码"), max_length=16,
                           help_text=_("提交申请时显示的8位查询码。"),
                           widget=forms.TextInput(attrs={"autocomplete": "off"}),
                           error_messages={"required": _("请填写查询码。"),
                                           "max_length": _("查询码不超过16位。")})


class SupplementForm(AccessibleFormMixin, forms.Form):
    uploads = MultipleFileField(
        label=_("补正材料"), required=False,
        help_text=_("按补正告知上传，最多10个文件；PDF、JPG、PNG、DOCX、XLSX、OFD。"))
    note = forms.CharField(label=_("补正说明（选填）"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"max_length": _(
                               "补正说明不能超过%(limit_value)d个字。")})

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("uploads") and not cleaned.get("note"):
            self.add_error("uploads", _("请上传补正材料或填写补正说明。"))
        return cleaned


class WithdrawForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("撤回原因（选填）"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"max_length": _(
                                 "撤回原因不能超过%(limit_value)d个字。")})


# --- Staff forms -----------------------------------------------------------------------------


def _text_field(label, *, required=True, min_length=None, rows=4, max_length=2000):
    messages = {"required": _("请填写%(label)s。") % {"label": label},
                "max_length": _("%(label)s不能超过%%(limit_value)d个字。") % {"label": label}}
    if min_length:
        messages["min_length"] = _("%(label)s至少%%(limit_value)d个字。") % {"label": label}
    return forms.CharField(label=label, required=required, min_length=min_length,
                           max_length=max_length, widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages=messages)


class PassOnForm(forms.Form):
    note = _text_field(gettext_lazy("转报意见"), required=False, rows=3)


class AcceptForm(forms.Form):
    note = _text_field(gettext_lazy("受理意见（内部）"), required=False, rows=3)


class RefuseForm(forms.Form):
    reason = _text_field(gettext_lazy("不予受理理由"), min_length=4)


class SupplementRequestForm(forms.Form):
    notice = _text_field(gettext_lazy("补正告知内容"), min_length=4, rows=6)


class StepForm(forms.Form):
    step = forms.ModelChoiceField(label=gettext_lazy("办理环节"), queryset=None,
                                  error_messages={"required": gettext_lazy("请选择办理环节。"),
                                                  "invalid_choice": gettext_lazy(
                                                      "请从列出的环节中选择。")})
    note = _text_field(gettext_lazy("环节意见（内部）"), required=False, rows=3)

    def __init__(self, *args, steps=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = steps


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("办理结果"), widget=forms.RadioSelect,
        choices=[("1", gettext_lazy("准予办理")), ("0", gettext_lazy("不予办理"))],
        coerce=lambda value: value == "1",
        error_messages={"required": gettext_lazy("请选择办理结果。")})
    note = _text_field(gettext_lazy("办理结果说明"), required=False,
                       rows=4)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approve") is False and len((cleaned.get("note") or "").strip()) < 4:
            self.add_error("note", _("不予办理须说明理由，至少4个字。"))
        return cleaned


class PaymentRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("金额（元）"), max_digits=12, decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"required": gettext_lazy("请填写金额。"),
                        "invalid": gettext_lazy("金额须为数字。"),
                        "min_value": gettext_lazy("金额必须大于0。"),
                        "max_decimal_places": gettext_lazy("金额最多两位小数。"),
                        "max_digits": gettext_lazy("金额过大。"),
                        "max_whole_digits": gettext_lazy("金额过大。")})
    provider = forms.ChoiceField(label=gettext_lazy("缴费方式"), choices=(),
                                 error_messages={"required": gettext_lazy("请选择缴费方式。"),
                                                 "invalid_choice": gettext_lazy(
                                                     "请从列出的缴费方式中选择。")})

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = list(providers)


class ConfirmPaymentForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("票据号"), max_length=64,
                                error_messages={"required": gettext_lazy("请填写票据号。"),
                                                "max_length": gettext_lazy(
                                                    "票据号不能超过%(limit_value)d个字符。")})


class DeliverForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("送达方式"), choices=(),
                               widget=forms.RadioSelect,
                               error_messages={"required": gettext_lazy("请选择送达方式。"),
                                               "invalid_choice": gettext_lazy(
                                                   "请从本事项的送达方式中选择。")})
    note = _text_field(gettext_lazy("送达说明"), required=False, rows=3)

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(value, DeliveryMethod(value).label)
                                         for value in methods]


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("办件编号"), required=False, max_length=24)
    item = forms.ModelChoiceField(label=gettext_lazy("事项"), required=False, queryset=None,
                                  empty_label=gettext_lazy("全部事项"))
    body = forms.ModelChoiceField(label=gettext_lazy("所在单位"), required=False, queryset=None,
                                  empty_label=gettext_lazy("全部单位"))
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False, choices=())

    def __init__(self, *args, items=None, bodies=None, **kwargs):
        from ..choices import ApplicationStatus

        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["body"].queryset = bodies
        self.fields["status"].choices = [("", _("全部状态")), *ApplicationStatus.choices]


class ProxyBodyForm(forms.Form):
    body = forms.ModelChoiceField(label=gettext_lazy("代办单位"), queryset=None,
                                  empty_label=None,
                                  error_messages={"required": gettext_lazy("请选择代办单位。"),
                                                  "invalid_choice": gettext_lazy(
                                                      "只能以您办件的单位代办。")})

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
