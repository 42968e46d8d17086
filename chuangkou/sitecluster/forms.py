import secrets

from django import forms
from django.utils.translation import gettext_lazy as _


class ErrorReportForm(forms.Form):
    """我为政府网站找错 form; the token makes a repeated submission harmless."""

    page_url = forms.CharField(label=_("出错页面地址"), max_length=500)
    description = forms.CharField(
        label=_("问题描述"), max_length=2000, min_length=5, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请说明错在哪里（错别字、链接打不开、信息过期等），5至2000字。"),
    )
    contact = forms.CharField(
        label=_("联系方式（选填）"), max_length=100, required=False,
        help_text=_("留下电话或邮箱，便于我们答复您。"),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))

    def clean_page_url(self):
        value = self.cleaned_data["page_url"].strip()
        if not value.startswith("/") or value.startswith("//"):
            raise forms.ValidationError(_("出错页面地址应为本站地址，以“/”开头。"))
        return value
