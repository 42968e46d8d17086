"""Forms of the service catalogue: the public filter (GET) and the item manager's item form with
its four row formsets (申请材料, 办理流程, 常见问题, 网上申请表字段).

The admin forms only parse input into ``ServiceItemData``; every rule is the action's, and its
errors come back on the field and row they name (``apply_item_violation``).
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model

from chuangkou.core.form_fields import AccessibleFormMixin
from chuangkou.organizations.models import Body

from ..actions.catalogue import (
    FAQData,
    FormFieldData,
    MaterialData,
    ServiceItemData,
    StepData,
)
from ..choices import (
    Audience,
    DeliveryMethod,
    FormFieldKind,
    MaterialForm,
    OnlineDepth,
    RequiredIdentity,
    ServiceItemKind,
)
from ..models import ServiceItem, ServiceTheme, UserChannel

__all__ = [
    "FAQRowForm",
    "FormFieldRowForm",
    "ItemFilterForm",
    "MaterialRowForm",
    "ServiceItemForm",
    "StepRowForm",
    "apply_item_violation",
    "documents_for",
    "item_data",
    "item_formsets",
    "theme_key",
]

ROW_EXTRA = 3  # empty rows to add without JavaScript


def theme_key(theme: ServiceTheme) -> str:
    return f"{theme.audience}:{theme.slug}"


def _blank(label) -> list:
    return [("", label)]


# --------------------------------------------------------------------------- public filter


class ItemFilterForm(AccessibleFormMixin, forms.Form):
    """The public list's filters (GET). A value not understood is reported on its field and
    that filter is left out; the others still apply."""

    q = forms.CharField(label=gettext_lazy("关键词"), required=False, max_length=100,
                        help_text=gettext_lazy("事项名称、编码或简介中的文字。"))
    body = forms.ChoiceField(label=gettext_lazy("实施主体"), required=False)
    below = forms.BooleanField(label=gettext_lazy("含下级单位"), required=False)
    theme = forms.ChoiceField(label=gettext_lazy("办事主题"), required=False)
    audience = forms.ChoiceField(label=gettext_lazy("服务对象"), required=False,
                                 choices=_blank(gettext_lazy("全部")) + list(Audience.choices))
    channel = forms.ChoiceField(label=gettext_lazy("用户频道"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("事项类型"), required=False,
                             choices=_blank(gettext_lazy("全部"))
                             + list(ServiceItemKind.choices))
    depth = forms.TypedChoiceField(label=gettext_lazy("网办深度"), required=False, coerce=int,
                                   empty_value=None,
                                   choices=_blank(gettext_lazy("全部"))
                                   + list(OnlineDepth.choices))

    def __init__(self, *args, bodies, themes, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {body.slug: body for body in bodies}
        self.themes = {theme_key(theme): theme for theme in themes}
        self.channels = {channel.slug: channel for channel in channels}
        everything = _blank(_("全部"))
        self.fields["body"].choices = everything + [(body.slug, body.name) for body in bodies]
        self.fields["theme"].choices = everything + [
            (_("个人办事") if audience == "person" else _("法人办事"),
             [(theme_key(theme), theme.name) for theme in themes if theme.audience == audience])
            for audience in ("person", "enterprise")]
        self.fields["channel"].choices = everything + [(channel.slug, channel.name)
                                                      for channel in channels]
        for name in ("body", "theme", "channel"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "%(label)s中没有“%%(value)s”，已忽略这一条件。") % {
                "label": self.fields[name].label}
        for name in ("audience", "kind", "depth"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "%(label)s不认识“%%(value)s”，已忽略这一条件。") % {
                "label": self.fields[name].label}

    def filters(self) -> dict:
        """The filters to apply: the fields that were understood."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "body": self.bodies.get(data.get("body") or ""),
            "include_below": bool(data.get("below")),
            "theme": self.themes.get(data.get("theme") or ""),
            "audience": data.get("audience") or None,
            "channel": self.channels.get(data.get("channel") or ""),
            "kind": data.get("kind") or None,
            "depth": data.get("depth") or None,
        }


# --------------------------------------------------------------------------- admin: item


def documents_for(bodies):
    """Documents in the collections of ``bodies`` (and collections below them)."""
    document_model = get_document_model()
    condition = None
    for body in bodies:
        if body.collection_id is None:
            continue
        path = body.collection.path
        part = Q(collection__path__startswith=path)
        condition = part if condition is None else condition | part
    if condition is None:
        return document_model.objects.none()
    return document_model.objects.filter(condition).order_by("title")


class NamedErrorsMixin:
    """Messages that name the field (“请填写材料名称。”) instead of Django's generic ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = field.label
            field.error_messages["required"] = _("请填写%(label)s。") % {"label": label}
            field.error_messages["invalid_choice"] = _("%(label)s的选项无效。") % {"label": label}
            field.error_messages["invalid"] = _("%(label)s的格式不正确。") % {"label": label}
            if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
                field.error_messages["invalid_choice"] = _(
                    "%(label)s只能从列表中选择。") % {"label": label}
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.error_messages["invalid_pk_value"] = _(
                    "%(label)s只能从列表中选择。") % {"label": label}
            if isinstance(field, forms.IntegerField | forms.DecimalField):
                field.error_messages["invalid"] = _("%(label)s须填写数字。") % {"label": label}


class ServiceItemForm(NamedErrorsMixin, forms.Form):
    """An item's own fields (everything but its lists)."""

    code = forms.CharField(label=gettext_lazy("事项编码"), max_length=64)
    name = forms.CharField(label=gettext_lazy("事项名称"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("事项类型"), choices=ServiceItemKind.choices)
    implementing_body = forms.ModelChoiceField(label=gettext_lazy("实施主体"),
                                               queryset=Body.objects.none())
    audience = forms.ChoiceField(label=gettext_lazy("服务对象"), choices=Audience.choices)
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("办事主题"), required=False, queryset=ServiceTheme.objects.all(),
        widget=forms.CheckboxSelectMultiple)
    channels = forms.ModelMultipleChoiceField(
        label=gettext_lazy("用户频道"), required=False, queryset=UserChannel.objects.all(),
        widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label=gettext_lazy("简介"), required=False, max_length=300)
    legal_basis = forms.CharField(label=gettext_lazy("设定依据"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    acceptance_conditions = forms.CharField(label=gettext_lazy("受理条件"), required=False,
                                            widget=forms.Textarea(attrs={"rows": 3}))
    process_description = forms.CharField(label=gettext_lazy("办理流程说明"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}))
    place = forms.CharField(label=gettext_lazy("办理地点"), required=False, max_length=300)
    office_hours = forms.CharField(label=gettext_lazy("办理时间"), required=False,
                                   max_length=300)
    legal_time_limit_days = forms.IntegerField(
        label=gettext_lazy("法定时限（工作日）"), required=False, min_value=0, max_value=32767,
        help_text=gettext_lazy("法律法规规定的办理时限；空表示法律未规定（仅公共服务事项可空）。"))
    promised_time_limit_days = forms.IntegerField(
        label=gettext_lazy("承诺时限（工作日）"), min_value=0, max_value=32767, initial=0,
        help_text=gettext_lazy("自受理之日起算；0 表示即办件（当场办结）。"))
    charges_fee = forms.BooleanField(label=gettext_lazy("收费"), required=False)
    fee_basis = forms.CharField(label=gettext_lazy("收费依据"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    fee_standard = forms.CharField(label=gettext_lazy("收费标准"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    consultation_phone = forms.CharField(label=gettext_lazy("咨询电话"), required=False,
                                         max_length=60)
    complaint_phone = forms.CharField(label=gettext_lazy("监督投诉电话"), required=False,
                                      max_length=60)
    visits_required = forms.IntegerField(
        label=gettext_lazy("到现场次数"), min_value=0, max_value=32767, initial=1,
        help_text=gettext_lazy("0 表示全程网办，无需到现场。"))
    special_procedures = forms.CharField(label=gettext_lazy("特殊环节"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    online_depth = forms.TypedChoiceField(label=gettext_lazy("网办深度"), coerce=int,
                                          choices=OnlineDepth.choices,
                                          initial=OnlineDepth.INFORMATION)
    required_identity = forms.ChoiceField(label=gettext_lazy("申请所需身份"),
                                          choices=RequiredIdentity.choices)
    accepts_proxy = forms.BooleanField(label=gettext_lazy("可代办"), required=False)
    delivery_methods = forms.MultipleChoiceField(
        label=gettext_lazy("结果送达方式"), required=False, choices=DeliveryMethod.choices,
        widget=forms.CheckboxSelectMultiple)
    sort_order = forms.IntegerField(label=gettext_lazy("排序"), min_value=0, initial=0)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["implementing_body"].queryset = bodies
        self.fields["themes"].label_from_instance = lambda theme: (
            f"{theme.get_audience_display()}·{theme.name}")

    @classmethod
    def initial_for(cls, item: ServiceItem) -> dict:
        initial = {name: getattr(item, name) for name in cls.base_fields
                   if name not in ("themes", "channels")}
        initial["themes"] = list(item.themes.all())
        initial["channels"] = list(item.channels.all())
        return initial


class _RowForm(NamedErrorsMixin, forms.Form):
    data_class = None

    def row_data(self):
        return self.data_class(**{name: self.cleaned_data[name]
                                  for name in self.data_class.__dataclass_fields__})


class MaterialRowForm(_RowForm):
    data_class = MaterialData

    name = forms.CharField(label=gettext_lazy("材料名称"), max_length=200)
    form = forms.ChoiceField(label=gettext_lazy("材料形式"), choices=MaterialForm.choices,
                             initial=MaterialForm.ORIGINAL)
    copies = forms.IntegerField(label=gettext_lazy("份数"), min_value=1, max_value=32767,
                                initial=1)
    is_required = forms.BooleanField(label=gettext_lazy("必要材料"), required=False,
                                     initial=True)
    source = forms.CharField(label=gettext_lazy("来源渠道"), required=False, max_length=200)
    notes = forms.CharField(label=gettext_lazy("填报须知"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    upload_required = forms.BooleanField(label=gettext_lazy("网上申请须上传"), required=False)
    blank_form = forms.ModelChoiceField(label=gettext_lazy("空白表格"), required=False,
                                        queryset=get_document_model().objects.none(),
                                        empty_label=gettext_lazy("（无）"))
    example = forms.ModelChoiceField(label=gettext_lazy("填写样例"), required=False,
                                     queryset=get_document_model().objects.none(),
                                     empty_label=gettext_lazy("（无）"))

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if documents is not None:
            self.fields["blank_form"].queryset = documents
            self.fields["example"].queryset = documents

    def row_data(self):
        data = self.cleaned_data
        return MaterialData(
            name=data["name"], form=data["form"], copies=data["copies"],
            is_required=data["is_required"], source=data["source"], notes=data["notes"],
            upload_required=data["upload_required"],
            blank_form_id=data["blank_form"].pk if data["blank_form"] else None,
            example_id=data["example"].pk if data["example"] else None)


class StepRowForm(_RowForm):
    data_class = StepData

    name = forms.CharField(label=gettext_lazy("环节名称"), max_length=100)
    description = forms.CharField(label=gettext_lazy("环节说明"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    time_limit_days = forms.IntegerField(label=gettext_lazy("环节时限（工作日）"), required=False,
                                         min_value=0, max_value=32767)


class FAQRowForm(_RowForm):
    data_class = FAQData

    question = forms.CharField(label=gettext_lazy("问题"), max_length=300)
    answer = forms.CharField(label=gettext_lazy("解答"), widget=forms.Textarea(attrs={"rows": 2}))


class FormFieldRowForm(_RowForm):
    data_class = FormFieldData

    name = forms.SlugField(label=gettext_lazy("字段标识"), max_length=50,
                           help_text=gettext_lazy("小写字母、数字和下划线，如 child_name。"))
    label = forms.CharField(label=gettext_lazy("字段名称"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("字段类型"), choices=FormFieldKind.choices,
                             initial=FormFieldKind.TEXT)
    is_required = forms.BooleanField(label=gettext_lazy("必填"), required=False, initial=True)
    help_text = forms.CharField(label=gettext_lazy("填写说明"), required=False, max_length=300)
    choices = forms.CharField(label=gettext_lazy("选项"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=gettext_lazy("单选、多选时每行一个选项。"))
    max_length = forms.IntegerField(label=gettext_lazy("最多字数"), required=False, min_value=1)
    min_value = forms.DecimalField(label=gettext_lazy("最小值"), required=False,
                                   max_digits=14, decimal_places=2)
    max_value = forms.DecimalField(label=gettext_lazy("最大值"), required=False,
                                   max_digits=14, decimal_places=2)
    pattern = forms.CharField(label=gettext_lazy("格式（正则表达式）"), required=False,
                              max_length=200)
    pattern_message = forms.CharField(label=gettext_lazy("格式不符时的提示"), required=False,
                                      max_length=200)


ROW_FORMS = {
    "materials": (MaterialRowForm, gettext_lazy("申请材料")),
    "steps": (StepRowForm, gettext_lazy("办理流程")),
    "faqs": (FAQRowForm, gettext_lazy("常见问题")),
    "form_fields": (FormFieldRowForm, gettext_lazy("网上申请表字段")),
}


def item_formsets(*, data=None, item: ServiceItem | None = None, documents=None) -> dict:
    """The four row formsets (prefixes ``materials``, ``steps``, ``faqs``, ``form_fields``),
    each with ``ROW_EXTRA`` empty rows and a 删除 checkbox per row."""
    formsets = {}
    for prefix, (form_class, title) in ROW_FORMS.items():
        formset_class = forms.formset_factory(form_class, extra=ROW_EXTRA, can_delete=True)
        initial = None
        if item is not None:
            initial = [_row_initial(prefix, row) for row in getattr(item, prefix).all()]
        kwargs = {"form_kwargs": {"documents": documents}} if prefix == "materials" else {}
        formset = formset_class(data=data, initial=initial, prefix=prefix, **kwargs)
        formset.title = title
        formsets[prefix] = formset
    return formsets


def _row_initial(prefix: str, row) -> dict:
    form_class = ROW_FORMS[prefix][0]
    return {name: getattr(row, name) for name in form_class.base_fields}


def kept_rows(formset) -> list[tuple[int, forms.Form]]:
    """(form index, form) of the rows to save: filled in and not marked for deletion."""
    initial = formset.initial_form_count()
    return [(index, form) for index, form in enumerate(formset.forms)
            if (index < initial or form.has_changed())
            and not formset._should_delete_form(form)]


def item_data(form: ServiceItemForm, formsets: dict, *, is_published: bool) -> ServiceItemData:
    data = form.cleaned_data
    values = {name: data[name] for name in form.fields if name not in ("themes", "channels")}
    values["delivery_methods"] = tuple(values["delivery_methods"])
    return ServiceItemData(
        **values, is_published=is_published,
        theme_keys=tuple((theme.audience, theme.slug) for theme in data["themes"]),
        channel_slugs=tuple(channel.slug for channel in data["channels"]),
        **{prefix: tuple(row_form.row_data() for _index, row_form in kept_rows(formset))
           for prefix, formset in formsets.items()})


def apply_item_violation(form: ServiceItemForm, formsets: dict, violation) -> None:
    """Put each message of the action's ``violation`` on the item field or the formset row
    and field it names (``materials-2-name`` is the third kept row of the materials)."""
    index_maps = {prefix: [index for index, _form in kept_rows(formset)]
                  for prefix, formset in formsets.items()}
    for key, messages in violation.errors.items():
        prefix, _sep, rest = key.partition("-")
        if prefix in formsets and rest:
            position, _sep, field = rest.partition("-")
            formset = formsets[prefix]
            try:
                row_form = formset.forms[index_maps[prefix][int(position)]]
            except (ValueError, IndexError):
                row_form = None
            for message in messages:
                if row_form is None:
                    form.add_error(None, message)
                elif field in row_form.fields:
                    row_form.add_error(field, message)
                else:
                    row_form.add_error(None, message)
            continue
        name = key if key in form.fields else None
        if key == NON_FIELD_ERRORS:
            name = None
        for message in messages:
            form.add_error(name, message)
