"""Forms of 订阅: what to follow (a column, a body or a topic) and how to receive it, and the
change of how. Each field says what is wrong with it; ``actions.subscriptions`` refuses
duplicates and columns that are not public, onto the same fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangkou.core.form_fields import AccessibleFormMixin
from chuangkou.organizations.models import Body
from chuangkou.sitecluster.models import ColumnPage
from chuangkou.sitecluster.queries import published

from ..choices import SubscriptionDelivery, SubscriptionTarget
from ..queries.subscriptions import subscribable_bodies, subscribable_columns
from ..subscription_sources import topic_choices

__all__ = ["DeliveryForm", "SubscriptionForm"]

_TARGET_FIELDS = {
    SubscriptionTarget.COLUMN: ("column", _("请选择要订阅的栏目。")),
    SubscriptionTarget.BODY: ("body", _("请选择要订阅的机构。")),
    SubscriptionTarget.TOPIC: ("topic", _("请选择要订阅的主题。")),
}

DELIVERY_HELP = _("邮件摘要发送到您账号中已验证的电子邮箱，没有新信息时不发送；"
                  "RSS 订阅会生成一个专属地址，可添加到阅读器中。")


def _delivery_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("接收方式"), choices=SubscriptionDelivery.choices,
        initial=SubscriptionDelivery.WEEKLY_EMAIL, widget=forms.RadioSelect,
        help_text=DELIVERY_HELP,
        error_messages={"required": _("请选择接收方式。"),
                        "invalid_choice": _("请选择每日邮件摘要、每周邮件摘要或 RSS 订阅。")})


class _BodyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Body) -> str:
        # Full-width spaces show the tree (city → departments, districts → streets).
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class SubscriptionForm(AccessibleFormMixin, forms.Form):
    target = forms.ChoiceField(
        label=_("订阅对象"), choices=SubscriptionTarget.choices, widget=forms.RadioSelect,
        initial=SubscriptionTarget.COLUMN,
        help_text=_("选择订阅一个栏目、一个机构发布的信息，或政府信息公开目录中的一个主题分类。"),
        error_messages={"required": _("请选择订阅栏目、机构还是主题。"),
                        "invalid_choice": _("请从栏目、机构、主题中选择一项。")})
    column = forms.TypedChoiceField(
        label=_("栏目"), required=False, coerce=int, empty_value=None,
        help_text=_("订阅对象为“栏目”时选择；包括该栏目的下级栏目。"),
        error_messages={"invalid_choice": _("所选栏目不存在或已停止发布，请重新选择。")})
    body = _BodyChoiceField(
        label=_("机构"), required=False, queryset=Body.objects.none(), empty_label=_("请选择机构"),
        help_text=_("订阅对象为“机构”时选择：该机构网站发布的信息和它的政府信息公开目录。"),
        error_messages={"invalid_choice": _("所选机构不存在，请重新选择。")})
    topic = forms.ChoiceField(
        label=_("主题"), required=False,
        choices=(),
        help_text=_("订阅对象为“主题”时选择：政府信息公开目录中该主题分类的信息。"),
        error_messages={"invalid_choice": _("所选主题不存在，请从列表中选择。")})
    delivery = _delivery_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for column, site_name in subscribable_columns():
            groups.setdefault(site_name or str(_("其他")), []).append((column.pk, column.title))
        self.fields["column"].choices = [("", _("请选择栏目")), *groups.items()]
        self.fields["body"].queryset = subscribable_bodies()
        self.fields["topic"].choices = [("", _("请选择主题分类")), *topic_choices()]

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target in _TARGET_FIELDS:
            name, message = _TARGET_FIELDS[target]
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data

    def clean_column(self):
        pk = self.cleaned_data.get("column")
        if pk is None:
            return None
        column = published(ColumnPage.objects.filter(pk=pk)).first()
        if column is None:
            raise forms.ValidationError(_("所选栏目不存在或已停止发布，请重新选择。"))
        return column

    def subscription_fields(self) -> dict:
        data = self.cleaned_data
        target = data["target"]
        return {
            "target": target, "delivery": data["delivery"],
            "column": data.get("column") if target == SubscriptionTarget.COLUMN else None,
            "body": data.get("body") if target == SubscriptionTarget.BODY else None,
            "topic": data.get("topic") or "" if target == SubscriptionTarget.TOPIC else "",
        }


class DeliveryForm(AccessibleFormMixin, forms.Form):
    delivery = _delivery_field()
