"""Staff forms of 政民互动 in the Wagtail admin: the letter list's filters, one form per action
on a letter, and the settings (letter kinds, time limits, routing rules, Open311 keys).

Forms only parse input; the change itself is made by an action in ``mailbox.actions``, whose
``MailboxRuleViolation`` comes back as messages on these fields (field names match the
actions' error keys).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangkou.organizations.models import Body

from ..choices import LetterStatus
from ..models import REQUIRED_IDENTITY_CHOICES, LetterKind

REASON_MIN_CHARS = 4
TEXT_MAX_CHARS = 5000

YES_NO = ((True, _("是")), (False, _("否")))


def _text(label, *, required=True, rows=4, max_length=TEXT_MAX_CHARS, help_text=""):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           help_text=help_text, strip=True,
                           widget=forms.Textarea(attrs={"rows": rows}))


class BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


# --------------------------------------------------------------------------- letter list


class LetterFilterForm(forms.Form):
    """Filters of the letter list; every field may be left empty."""

    q = forms.CharField(label=_("信件编号或标题"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), *LetterStatus.choices])
    kind = forms.ModelChoiceField(label=_("信件类型"), required=False, empty_label=_("全部"),
                                  queryset=LetterKind.objects.all())
    body = BodyChoiceField(label=_("承办单位"), required=False, empty_label=_("全部"),
                           queryset=Body.objects.none())
    overdue = forms.BooleanField(label=_("只看已超期"), required=False)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies


# --------------------------------------------------------------------------- letter actions


class ConfirmForm(forms.Form):
    """An action without input (release a held letter, approve a reply): the button confirms."""


class RefuseForm(forms.Form):
    reason = _text(_("不予受理理由"), help_text=_("将告知写信人，至少4个字。"))


class DispatchForm(forms.Form):
    body = BodyChoiceField(label=_("交办单位"), queryset=Body.objects.none())
    note = _text(_("分办说明"), required=False, rows=2, max_length=500)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies


class ForwardForm(forms.Form):
    body = BodyChoiceField(label=_("转办至"), queryset=Body.objects.none())
    reason = _text(_("转办理由"), rows=2, max_length=500, help_text=_("至少4个字。"))

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies


class ReturnForm(forms.Form):
    reason = _text(_("退单理由"), rows=2, max_length=500,
                   help_text=_("说明为何不属于本单位办理，至少4个字。"))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("合并至信件编号"), max_length=24,
                           help_text=_("本信作为重复来信并入该信，随该信一并答复。"))
    reason = _text(_("合并理由"), rows=2, max_length=500)

    def clean_into(self):
        return self.cleaned_data["into"].strip().upper()


class ReplyForm(forms.Form):
    text = _text(_("答复内容"), rows=10, help_text=_("不超过5000字。"))


class ReturnReplyForm(forms.Form):
    reasons = _text(_("退回理由（不合格重新办理）"), rows=3, max_length=1000,
                    help_text=_("至少4个字，承办单位据此重新办理。"))


class ExtensionRequestForm(forms.Form):
    working_days = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=30)
    reason = _text(_("延期理由"), rows=3, max_length=1000)


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("是否批准"), choices=YES_NO,
                                     coerce=lambda value: value in (True, "True"),
                                     widget=forms.RadioSelect)
    note = _text(_("审批意见"), required=False, rows=2, max_length=1000)


class UrgeForm(forms.Form):
    note = _text(_("督办意见"), rows=3, max_length=1000, help_text=_("承办单位须书面回复，至少4个字。"))


class UrgeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{timezone.localtime(obj.issued_at):%Y-%m-%d %H:%M} {obj.note[:40]}"


class AnswerUrgeForm(forms.Form):
    urge = UrgeChoiceField(label=_("督办事项"), queryset=None, empty_label=None)
    response = _text(_("办理情况说明"), rows=3, max_length=1000)

    def __init__(self, *args, urges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urge"].queryset = urges


class PublishForm(forms.Form):
    """What will be public: pre-filled with the automatically masked texts; staff may mask more
    (the action masks the edited texts again, so nothing can be unmasked here)."""

    title = forms.CharField(label=_("公开标题"), max_length=100, strip=True)
    content = _text(_("公开内容"), rows=10)
    reply = _text(_("公开答复"), rows=10)


class UnpublishForm(forms.Form):
    reason = _text(_("撤销公开理由"), rows=2, max_length=500)


class CloseFollowUpForm(forms.Form):
    conclusion = _text(_("回访结果"), rows=3, max_length=2000)


# --------------------------------------------------------------------------- configuration


class LetterKindForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=40,
                           help_text=_("字母、数字、连字符，例如 zixun；Open311 服务代码由它组成。"))
    name = forms.CharField(label=_("名称"), max_length=40)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    reply_working_days = forms.IntegerField(
        label=_("答复时限（工作日）"), min_value=1, max_value=60,
        help_text=_("自交办之日起计算；各地自定，实践中为5至15个工作日。"))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True,
                                   help_text=_("停用后写信页面不再提供该类型，已有来信不受影响。"))
    required_identity = forms.ChoiceField(
        label=_("写信人身份要求"), choices=REQUIRED_IDENTITY_CHOICES, required=False,
        help_text=_("默认不限，任何人无需登录即可写信；设置后，写这类信须登录公众账号并达到"
                    "所选身份等级，移动端接口（Open311）也不再提供这类信件。"))


class ReplyTimeLimitForm(forms.Form):
    body = BodyChoiceField(label=_("办理单位"), queryset=Body.objects.order_by("path"))
    kind = forms.ModelChoiceField(label=_("信件类型"), queryset=LetterKind.objects.all())
    reply_working_days = forms.IntegerField(
        label=_("答复时限（工作日）"), min_value=1, max_value=60, required=False,
        help_text=_("留空表示取消本单位的时限，改用信件类型的默认时限。"))


class RoutingRuleForm(forms.Form):
    name = forms.CharField(label=_("规则名称"), max_length=80)
    priority = forms.IntegerField(label=_("优先级"), min_value=0, initial=100,
                                  help_text=_("数字小的先匹配。"))
    kind = forms.ModelChoiceField(label=_("信件类型"), queryset=LetterKind.objects.all(),
                                  required=False, empty_label=_("任何类型"))
    addressed_body = BodyChoiceField(label=_("写信对象"), queryset=Body.objects.order_by("path"),
                                     required=False, empty_label=_("任何写信对象"))
    keywords = forms.CharField(label=_("关键词"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("每行一个，标题或内容含任一关键词即匹配；留空表示不限。"))
    target_body = BodyChoiceField(label=_("交办单位"), queryset=Body.objects.order_by("path"))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class RoutingTestForm(forms.Form):
    """试一试: which rule a letter with this text would match."""

    kind = forms.ModelChoiceField(label=_("信件类型"), queryset=LetterKind.objects.all(),
                                  required=False, empty_label=_("任何类型"))
    addressed_body = BodyChoiceField(label=_("写信对象"), queryset=Body.objects.order_by("path"),
                                     required=False, empty_label=_("不确定"))
    text = forms.CharField(label=_("标题和内容"), max_length=TEXT_MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("接入方"), max_length=80,
                           help_text=_("例如“12345热线系统”或“城市服务App”。"))


# --------------------------------------------------------------------------- statistics


class StatisticsFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    body = BodyChoiceField(label=_("单位"), required=False, empty_label=_("全部"),
                           queryset=Body.objects.none())
    kind = forms.ModelChoiceField(label=_("信件类型"), required=False, empty_label=_("全部"),
                                  queryset=LetterKind.objects.all())

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bodies is not None:
            self.fields["body"].queryset = bodies
