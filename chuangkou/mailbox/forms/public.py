"""Forms of the public mailbox (政民互动): writing a letter, looking it up by number and query
code, rating the reply, and the filters of the published letters and statistics pages.

Forms only parse and validate input; the letter is made by ``actions.submit_letter``. Every
error names its field, is tied to its input (``aria-describedby``, ``aria-invalid``) and is
listed in the error summary at the top of the page (``error_summary``)."""

import re
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin, MultipleFileField
from chuangkou.organizations.models import Body
from chuangkou.organizations.queries import body_tree

from .. import antibot
from ..actions.intake import (
    DEFAULT_ATTACHMENT_MAX_BYTES,
    DEFAULT_CONTENT_MAX_CHARS,
    MAX_ATTACHMENTS,
    LetterDraft,
    WriterInput,
    attachment_errors,
)
from ..choices import SatisfactionLevel
from ..models import Letter, LetterKind
from ..queries import active_letter_kinds, addressable_bodies, identity_requirement_label

__all__ = [
    "ATTACHMENT_LIMIT",
    "CONTENT_MAX_LENGTH",
    "LetterForm",
    "PublishedFilterForm",
    "QueryForm",
    "RatingForm",
    "StatisticsYearForm",
    "new_form_token",
]

TITLE_MAX_LENGTH = Letter._meta.get_field("title").max_length
CONTENT_MIN_LENGTH = 5
CONTENT_MAX_LENGTH = DEFAULT_CONTENT_MAX_CHARS
COMMENT_MAX_LENGTH = 500
ATTACHMENT_LIMIT = MAX_ATTACHMENTS
MOBILE_PATTERN = re.compile(r"1[3-9]\d{9}")
LANDLINE_PATTERN = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class BlankTextInput(forms.TextInput):
    """A text input shown empty again after an error (the question changes each time)."""

    def format_value(self, value):
        return None


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LetterKind) -> str:
        label = f"{obj.name}：{obj.description}" if obj.description else obj.name
        if obj.required_identity:
            # Said before the writer starts: the kind is refused to a visitor below the level.
            label += _("（%(requirement)s）") % {
                "requirement": identity_requirement_label(obj.required_identity)}
        return label


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Body) -> str:
        # Tree order with an indent per level, readable without the indent too.
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class LetterForm(AccessibleFormMixin, forms.Form):
    """写信: the letter, the writer's contact details (kept apart, never published) and the
    bot check (no image CAPTCHA)."""

    kind = KindChoiceField(label=_("信件类型"), queryset=LetterKind.objects.none(),
                           widget=forms.RadioSelect, empty_label=None,
                           error_messages={"required": _("请选择一种信件类型。"),
                                           "invalid_choice": _("请从列出的类型中选择。")})
    addressed_body = BodyChoiceField(
        label=_("写信对象"), queryset=Body.objects.none(), required=False,
        empty_label=_("不确定（由工作人员转交承办单位）"),
        help_text=_("不清楚该写给哪个部门时，请选择“不确定”，工作人员会转交承办单位。"),
        error_messages={"invalid_choice": _("请从列表中选择一个单位或“不确定”。")})
    title = forms.CharField(
        label=_("标题"), max_length=TITLE_MAX_LENGTH,
        help_text=_("用一句话概括您的来信，不超过%(max)d个字。") % {"max": TITLE_MAX_LENGTH},
        error_messages={"required": _("请填写标题。"),
                        "max_length": _("不能超过%(limit_value)d个字（现有%(show_value)d个字）。")})
    content = forms.CharField(
        label=_("内容"), min_length=CONTENT_MIN_LENGTH, max_length=CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("请写明事情经过、地点和您的诉求，%(min)d至%(max)d个字。请勿填写身份证号等"
                    "不必要的个人信息。") % {"min": CONTENT_MIN_LENGTH, "max": CONTENT_MAX_LENGTH},
        error_messages={"required": _("请填写来信内容。"),
                        "min_length": _("至少写%(limit_value)d个字（现有%(show_value)d个字）。"),
                        "max_length": _("不能超过%(limit_value)d个字（现有%(show_value)d个字）。")})
    attachments = MultipleFileField(
        label=_("附件（选填）"), required=False,
        help_text=_("最多%(count)d个文件，每个不超过%(mb)s MB；只能上传 PDF、JPG、PNG、DOCX、"
                    "XLSX、OFD 文件（按文件内容检查）。") % {
            "count": ATTACHMENT_LIMIT, "mb": f"{DEFAULT_ATTACHMENT_MAX_BYTES / 1048576:g}"})
    may_publish = forms.BooleanField(
        label=_("同意公开我的来信和答复"), required=False,
        help_text=_("勾选后，来信和答复可能在网站“信件公开”栏目公开；公开前会隐去姓名、电话、"
                    "身份证号、地址、车牌号等个人信息。不勾选则不公开，不影响办理。"))
    name = forms.CharField(label=_("姓名"), max_length=60,
                           error_messages={"required": _("请填写您的姓名。"),
                                           "max_length": _("不能超过%(limit_value)d个字。")})
    phone = forms.CharField(
        label=_("联系电话"), max_length=20, required=False,
        help_text=_("手机号码或带区号的固定电话，如 0571-87654321。"),
        error_messages={"max_length": _("不能超过%(limit_value)d个字符。")})
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, max_length=254,
        help_text=_("答复后会发邮件通知您。"),
        error_messages={"invalid": _("格式不正确，例如 wang@example.cn。")})
    address = forms.CharField(label=_("联系地址（选填）"), max_length=200, required=False,
                              error_messages={"max_length": _("不能超过%(limit_value)d个字。")})
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    bot_token = forms.CharField(widget=forms.HiddenInput, required=False)
    homepage = forms.CharField(
        label=_("请勿填写"), required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    bot_answer = forms.CharField(
        label=_("验证问题"), required=False, max_length=10,
        error_messages={"required": _("请填写答案（用阿拉伯数字）。"),
                        "max_length": _("答案最多%(limit_value)d位数字。")},
        help_text=_("请用阿拉伯数字作答。"),
        widget=BlankTextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                     "size": "4"}))

    summary_labels = {"bot_answer": _("验证问题")}
    unlinked_fields = frozenset({antibot.HONEYPOT_FIELD})
    contact_fields = ("name", "phone", "email", "address")
    letter_fields = ("kind", "addressed_body", "title", "content", "attachments", "may_publish")

    def __init__(self, *args, preselected_body: Body | None = None,
                 preselected_kind: LetterKind | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = active_letter_kinds()
        self.fields["addressed_body"].queryset = addressable_bodies()
        if not self.is_bound:
            self.initial.setdefault("form_token", new_form_token())
            if preselected_body is not None:
                self.initial.setdefault("addressed_body", preselected_body.pk)
            if preselected_kind is not None:
                self.initial.setdefault("kind", preselected_kind.pk)
        self.challenge: antibot.Challenge | None = None
        self.renew_challenge()
        self._describe_fields()

    @property
    def current_form_token(self) -> str:
        if self.is_bound:
            token = self.data.get(self.add_prefix("form_token"), "")
            if isinstance(token, str) and 0 < len(token) <= 64:
                return token
            token = self.initial.get("form_token") or new_form_token()
            self.initial["form_token"] = token
            return token
        return self.initial["form_token"]

    def renew_challenge(self) -> None:
        """A new signed timestamp and question for the page about to be shown (the first one,
        or the form shown again with errors). The form token stays, so the letter is still
        created once however often the form is sent; the template renders the hidden values
        from ``current_form_token`` and ``challenge.token``, never from the posted data."""
        self.challenge = antibot.issue_challenge(form_token=self.current_form_token)
        field = self.fields["bot_answer"]
        field.required = bool(self.challenge.question)
        if self.challenge.question:
            field.label = _("验证问题：%(question)s") % {"question": self.challenge.question}

    def chosen_kind(self) -> LetterKind | None:
        """The active kind picked in the posted data, before the form is validated (the
        identity a kind asks for is checked before anything else)."""
        value = self.data.get(self.add_prefix("kind"), "") if self.is_bound else ""
        if not isinstance(value, str) or not value.isdigit():
            return None
        return self.fields["kind"].queryset.filter(pk=int(value)).first()

    @property
    def has_text_question(self) -> bool:
        return bool(self.challenge and self.challenge.question)

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_content(self) -> str:
        content = self.cleaned_data["content"].replace("\r\n", "\n").strip()
        if len(content) < CONTENT_MIN_LENGTH:
            raise forms.ValidationError(_("至少写%(min)d个字。") % {"min": CONTENT_MIN_LENGTH})
        return content

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        phone = "".join(self.cleaned_data["phone"].split())
        if phone and not (MOBILE_PATTERN.fullmatch(phone) or LANDLINE_PATTERN.fullmatch(phone)):
            raise forms.ValidationError(_("请填写11位手机号码或带区号的固定电话号码。"))
        return phone

    def clean_address(self) -> str:
        return self.cleaned_data["address"].strip()

    def clean_attachments(self) -> list:
        uploads = self.cleaned_data["attachments"] or []
        if len(uploads) > ATTACHMENT_LIMIT:
            raise forms.ValidationError(
                _("最多上传%(count)d个文件（您选择了%(given)d个）。")
                % {"count": ATTACHMENT_LIMIT, "given": len(uploads)})
        problems = [str(message) for upload in uploads for message in attachment_errors(upload)]
        if problems:
            raise forms.ValidationError(problems)
        return uploads

    def clean(self):
        data = super().clean()
        if "phone" in data and "email" in data and not data["phone"] and not data["email"]:
            self.add_error("phone", _("联系电话和电子邮箱请至少填写一项，以便承办单位与您联系。"))
        for field, messages in antibot.check_challenge(
                token=self.data.get(self.add_prefix("bot_token"), "") or "",
                form_token=self.current_form_token,
                honeypot=self.data.get(self.add_prefix("homepage"), "") or "",
                answer=self.data.get(self.add_prefix("bot_answer"), "") or "").items():
            if field is not None and field in self._errors:
                continue  # already refused by the field itself (empty answer)
            for message in messages:
                self.add_error(field, message)
        return data

    def letter_draft(self) -> LetterDraft:
        data = self.cleaned_data
        return LetterDraft(kind=data["kind"], addressed_body=data["addressed_body"],
                           title=data["title"], content=data["content"],
                           may_publish=bool(data["may_publish"]))

    def writer_input(self) -> WriterInput:
        data = self.cleaned_data
        return WriterInput(name=data["name"], phone=data["phone"], email=data["email"],
                           address=data["address"])


class QueryForm(AccessibleFormMixin, forms.Form):
    """信件查询: the letter number and the query code shown on the receipt."""

    number = forms.CharField(label=_("信件编号"), max_length=24,
                             help_text=_("回执上的编号，如 XJ2026000001。"),
                             error_messages={"required": _("请填写信件编号。"),
                                             "max_length": _("不能超过%(limit_value)d个字符。")})
    code = forms.CharField(label=_("查询码"), max_length=32,
                           widget=forms.PasswordInput(render_value=False,
                                                      attrs={"autocomplete": "off"}),
                           error_messages={"required": _("请填写查询码。"),
                                           "max_length": _("不能超过%(limit_value)d个字符。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe_fields()

    def clean_number(self) -> str:
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class RatingForm(AccessibleFormMixin, forms.Form):
    """满意度评价: five levels (1 and 2 open a follow-up) and an optional comment."""

    summary_labels = {"level": _("满意度")}

    level = forms.TypedChoiceField(
        label=_("您对答复的满意度"), coerce=int, widget=forms.RadioSelect,
        choices=sorted(SatisfactionLevel.choices, reverse=True),
        error_messages={"required": _("请选择一项。"),
                        "invalid_choice": _("请从五个等级中选择一项。")})
    comment = forms.CharField(
        label=_("评价意见（选填）"), required=False, max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("不超过%(max)d个字。") % {"max": COMMENT_MAX_LENGTH},
        error_messages={"max_length": _("不能超过%(limit_value)d个字（现有%(show_value)d个字）。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._describe_fields()

    def clean_comment(self) -> str:
        return self.cleaned_data["comment"].strip()


class PublishedFilterForm(forms.Form):
    """信件公开 filters (GET): body, kind and a keyword in the published title."""

    body = forms.ModelChoiceField(label=_("答复部门"), queryset=Body.objects.none(),
                                  required=False, empty_label=_("全部"), to_field_name="slug")
    kind = forms.ModelChoiceField(label=_("信件类型"), queryset=LetterKind.objects.none(),
                                  required=False, empty_label=_("全部"), to_field_name="code")
    q = forms.CharField(label=_("标题关键词"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = body_tree()
        self.fields["kind"].queryset = LetterKind.objects.order_by("sort_order", "pk")

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class StatisticsYearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)

    def selected_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year
