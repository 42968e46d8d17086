"""The template editor's form (通知模板): checked here for the editor, and again by the action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import Channel
from ..kinds import NotificationKind
from ..rendering import SMS_MAX_CHARS, SUBJECT_MAX_CHARS, template_problems

__all__ = ["NotificationTemplateForm"]


class NotificationTemplateForm(forms.Form):
    subject = forms.CharField(label=_("标题"), max_length=SUBJECT_MAX_CHARS, required=False,
                              help_text=_("可使用下方列出的变量，如 {{ url }}。"))
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}),
                           required=False,
                           help_text=_("Django 模板语法：{{ 变量 }} 插入内容，{% if 变量 %}…{% endif %} 按条件显示。"))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True,
                                   help_text=_("不勾选时暂停使用本模板，按默认内容发送。"))

    def __init__(self, *args, kind: NotificationKind, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.channel = channel
        if channel == Channel.SMS:
            del self.fields["subject"]
            self.fields["body"].help_text = _("短信不超过%(limit)d个字符；发送时自动加签名。") % {
                "limit": SMS_MAX_CHARS}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = template_problems(self.kind, self.channel,
                                     subject=cleaned.get("subject", ""),
                                     body=cleaned.get("body", ""))
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return cleaned
