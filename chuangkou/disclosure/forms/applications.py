"""Forms of 依申请公开: the public application form (条例 第二十九条), the lookup by number
and query code, and the staff forms, one per action. Forms only parse and validate input."""

import re
import secrets
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin, MultipleFileField
from chuangkou.core.validators import is_valid_credit_code, resident_id_problem
from chuangkou.organizations.models import Body

from ..actions.applications import ApplicantInput, InformationRequest, attachment_errors
from ..choices import (
    ApplicantKind,
    ApplicationChannel,
    DeliveryMethod,
    IdentityDocumentKind,
    OrganisationKind,
    ResponseKind,
    WantedForm,
)
from ..deadlines import EXTENSION_LIMIT

MOBILE_PATTERN = re.compile(r"1[3-9]\d{9}")
LANDLINE_PATTERN = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
POSTCODE_PATTERN = re.compile(r"\d{6}")
NATURAL_PERSON_DOCUMENTS = [
    kind for kind in IdentityDocumentKind if kind != IdentityDocumentKind.BUSINESS_LICENCE]


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class ApplicationForm(AccessibleFormMixin, forms.Form):
    """政府信息公开申请表 (条例 第二十九条): who applies, what is wanted, in which form and how."""

    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices,
                                       widget=forms.RadioSelect)
    organisation_kind = forms.ChoiceField(
        label=_("组织类型（法人或其他组织填写）"), required=False,
        choices=[("", _("（自然人不填）")), *OrganisationKind.choices])
    name = forms.CharField(label=_("姓名或名称"), max_length=120)
    identity_document_kind = forms.ChoiceField(label=_("证件类型"),
                                               choices=IdentityDocumentKind.choices)
    identity_document_number = forms.CharField(label=_("证件号码"), max_length=40)
    legal_representative = forms.CharField(label=_("法定代表人或负责人（法人或其他组织填写）"),
                                           max_length=60, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=60, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20,
                            help_text=_("手机号码或带区号的固定电话，如 0571-87654321。"))
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False)
    information_title = forms.CharField(label=_("所需信息名称"), max_length=255, required=False)
    information_document_number = forms.CharField(label=_("所需信息文号"), max_length=80,
                                                  required=False)
    information_description = forms.CharField(
        label=_("所需信息的内容描述"), max_length=2000, min_length=5,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请尽量写明信息的名称、文号、形成时间或其他便于查找的特征。"))
    wanted_form = forms.ChoiceField(label=_("信息的提供形式"), choices=WantedForm.choices)
    delivery_method = forms.ChoiceField(label=_("获取信息的方式"), choices=DeliveryMethod.choices)
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())
        self._describe_fields()

    def clean_identity_document_number(self) -> str:
        return "".join(self.cleaned_data["identity_document_number"].split()).upper()

    def clean_phone(self) -> str:
        phone = "".join(self.cleaned_data["phone"].split())
        if not (MOBILE_PATTERN.fullmatch(phone) or LANDLINE_PATTERN.fullmatch(phone)):
            raise forms.ValidationError(_("请填写11位手机号码或带区号的固定电话号码。"))
        return phone

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not POSTCODE_PATTERN.fullmatch(postcode):
            raise forms.ValidationError(_("邮政编码应为6位数字。"))
        return postcode

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        document_kind = data.get("identity_document_kind")
        number = data.get("identity_document_number")
        if kind == ApplicantKind.LEGAL_PERSON and not data.get("organisation_kind"):
            self.add_error("organisation_kind", _("法人或其他组织请选择组织类型。"))
        if kind == ApplicantKind.NATURAL_PERSON:
            data["organisation_kind"] = ""
            if document_kind == IdentityDocumentKind.BUSINESS_LICENCE:
                self.add_error("identity_document_kind", _("自然人请选择个人身份证件。"))
        if number and document_kind == IdentityDocumentKind.RESIDENT_ID_CARD and (
                problem := resident_id_problem(number)):
            self.add_error("identity_document_number", problem)
        if (number and document_kind == IdentityDocumentKind.BUSINESS_LICENCE
                and not is_valid_credit_code(number)):
            self.add_error("identity_document_number",
                           _("统一社会信用代码应为18位且校验位正确（GB 32100）。"))
        if data.get("delivery_method") == DeliveryMethod.EMAIL and not data.get("email"):
            self.add_error("email", _("选择电子邮件获取信息时，请填写电子邮箱。"))
        if data.get("delivery_method") == DeliveryMethod.POST and not data.get("address"):
            self.add_error("address", _("选择邮寄获取信息时，请填写通信地址。"))
        return data

    def applicant(self) -> ApplicantInput:
        data = self.cleaned_data
        return ApplicantInput(
            name=data["name"].strip(), identity_document_kind=data["identity_document_kind"],
            identity_document_number=data["identity_document_number"], phone=data["phone"],
            legal_representative=data["legal_representative"].strip(),
            contact_person=data["contact_person"].strip(), email=data["email"],
            address=data["address"].strip(), postcode=data["postcode"])

    def information_request(self) -> InformationRequest:
        data = self.cleaned_data
        return InformationRequest(
            applicant_kind=data["applicant_kind"], organisation_kind=data["organisation_kind"],
            information_title=data["information_title"].strip(),
            information_document_number=data["information_document_number"].strip(),
            information_description=data["information_description"].strip(),
            wanted_form=data["wanted_form"], delivery_method=data["delivery_method"])


class StaffApplicationForm(ApplicationForm):
    """Staff entry of an application received in person, by post or by fax (第三十一条)."""

    channel = forms.ChoiceField(label=_("申请方式"), choices=[
        (value, label) for value, label in ApplicationChannel.choices
        if value != ApplicationChannel.ONLINE])
    received_on = forms.DateField(
        label=_("收到申请日期"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("当面提交为提交之日；挂号信为签收之日；平常信函为与申请人确认之日；传真为双方确认之日。"))

    field_order = ["channel", "received_on"]

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = forms.ModelChoiceField(label=_("受理机关"), queryset=bodies)
        self.order_fields(["body", "channel", "received_on"])
        self.initial.setdefault("received_on", timezone.localdate())
        del self.fields["form_token"]

    def clean_received_on(self) -> date:
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("收到申请日期不能晚于今天（条例第三十一条）。"))
        return received_on


class LookupForm(AccessibleFormMixin, forms.Form):
    """申请查询: the application number and the query code shown on the receipt."""

    number = forms.CharField(label=_("申请编号"), max_length=40)
    code = forms.CharField(label=_("查询码"), max_length=8, min_length=8,
                           widget=forms.PasswordInput(render_value=False))

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class DateForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())

    def clean_on(self) -> date:
        if self.cleaned_data["on"] > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return self.cleaned_data["on"]


class ConfirmReceiptForm(DateForm):
    pass


class AssignHandlerForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=None)

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers


class CorrectionRequestForm(forms.Form):
    notice = forms.CharField(label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 6}),
                             max_length=4000,
                             help_text=_("一次性写明需要补正的全部事项（条例第三十条）。"))


class CorrectionReceivedForm(DateForm):
    information_description = forms.CharField(
        label=_("补正后的内容描述（选填）"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=_("内部备注"), required=False, max_length=2000)


class ConsultationStartForm(DateForm):
    third_party = forms.CharField(label=_("征求意见的第三方"), max_length=200)


class ConsultationEndForm(DateForm):
    opinion = forms.CharField(label=_("第三方意见（内部）"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 4}))


class ExtensionRequestForm(forms.Form):
    working_days = forms.IntegerField(label=_("延长工作日数"), min_value=1,
                                      max_value=EXTENSION_LIMIT.working_days, initial=20)
    reason = forms.CharField(label=_("延期理由"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批意见"), choices=[("1", _("同意延期")), ("0", _("不同意"))],
        coerce=lambda value: value == "1", widget=forms.RadioSelect)
    note = forms.CharField(label=_("告知申请人的延期理由或不同意的说明"), required=False,
                           max_length=2000)


class FeeNoticeForm(DateForm):
    pass


class FeePaidForm(forms.Form):
    paid_on = forms.DateField(label=_("缴费日期"), widget=forms.DateInput(attrs={"type": "date"}))


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("答复类型"), choices=[
        (value, label) for value, label in ResponseKind.choices
        if value not in (ResponseKind.OTHER_NO_CORRECTION, ResponseKind.OTHER_UNPAID_FEE)])
    letter_text = forms.CharField(label=_("答复书正文"), widget=forms.Textarea(attrs={"rows": 16}),
                                  required=False,
                                  help_text=_("留空则按答复类型生成标准文本，生成后可修改再提交。"))
    attachments = MultipleFileField(
        label=_("附件"), required=False,
        help_text=_("pdf、ofd、docx、xlsx、jpg、png，每个不超过20 MB。"))

    def clean_attachments(self) -> list:
        uploads = self.cleaned_data["attachments"] or []
        problems = [message for upload in uploads for message in attachment_errors(upload)]
        if problems:
            raise forms.ValidationError(problems)
        return uploads


class TransferForm(forms.Form):
    target_body = forms.ModelChoiceField(label=_("转交机关"), queryset=Body.objects.none())
    note = forms.CharField(label=_("内部备注"), required=False, max_length=2000)

    def __init__(self, *args, exclude_body=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Body.objects.order_by("path")
        if exclude_body is not None:
            queryset = queryset.exclude(pk=exclude_body.pk)
        self.fields["target_body"].queryset = queryset
