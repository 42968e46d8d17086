"""事项目录: create, change, publish and unpublish service items with their 办事指南 lists.

One entry point (``save_service_item``) serves the admin form, the catalogue import and the demo:
it is idempotent on the item code, replaces the guide's lists with the given ones (keeping rows
whose name matches, so uploads keep their material and timeline entries their step) and refuses
the whole change, with every problem named, before anything is written.
"""

import re
from dataclasses import dataclass, fields
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangkou.organizations.models import Body

from ..choices import (
    Audience,
    DeliveryMethod,
    FormFieldKind,
    MaterialForm,
    OnlineDepth,
    RequiredIdentity,
)
from ..exceptions import ServicesRuleViolation
from ..models import (
    OnlineFormField,
    ServiceFAQ,
    ServiceItem,
    ServiceMaterial,
    ServiceStep,
    ServiceTheme,
    UserChannel,
)
from ..queries.access import may_manage_body
from ._common import _audit

__all__ = [
    "FAQData",
    "FormFieldData",
    "MaterialData",
    "ServiceItemData",
    "StepData",
    "publish_service_item",
    "save_service_item",
    "service_item_data",
    "unpublish_service_item",
]


@dataclass(frozen=True, kw_only=True)
class MaterialData:
    name: str
    form: str = MaterialForm.ORIGINAL
    copies: int = 1
    is_required: bool = True
    source: str = ""
    notes: str = ""
    upload_required: bool = False
    blank_form_id: int | None = None
    example_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class StepData:
    name: str
    description: str = ""
    time_limit_days: int | None = None


@dataclass(frozen=True, kw_only=True)
class FAQData:
    question: str
    answer: str


@dataclass(frozen=True, kw_only=True)
class FormFieldData:
    name: str
    label: str
    kind: str = FormFieldKind.TEXT
    is_required: bool = True
    help_text: str = ""
    choices: str = ""
    max_length: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    pattern: str = ""
    pattern_message: str = ""


@dataclass(frozen=True, kw_only=True)
class ServiceItemData:
    """Every ``ServiceItem`` field except the lists; themes by (audience, slug), channels by
    slug."""

    code: str
    name: str
    kind: str
    implementing_body: Body
    audience: str = Audience.PERSON
    theme_keys: tuple[tuple[str, str], ...] = ()
    channel_slugs: tuple[str, ...] = ()
    summary: str = ""
    legal_basis: str = ""
    acceptance_conditions: str = ""
    process_description: str = ""
    place: str = ""
    office_hours: str = ""
    legal_time_limit_days: int | None = None
    promised_time_limit_days: int = 0
    charges_fee: bool = False
    fee_basis: str = ""
    fee_standard: str = ""
    consultation_phone: str = ""
    complaint_phone: str = ""
    visits_required: int = 1
    special_procedures: str = ""
    online_depth: int = OnlineDepth.INFORMATION
    required_identity: str = RequiredIdentity.NONE
    accepts_proxy: bool = False
    delivery_methods: tuple[str, ...] = ()
    is_published: bool = False
    sort_order: int = 0
    materials: tuple[MaterialData, ...] = ()
    steps: tuple[StepData, ...] = ()
    faqs: tuple[FAQData, ...] = ()
    form_fields: tuple[FormFieldData, ...] = ()


LIST_NAMES = ("theme_keys", "channel_slugs", "materials", "steps", "faqs", "form_fields")
# The item's own columns, as ServiceItemData names them.
ITEM_FIELDS = tuple(f.name for f in fields(ServiceItemData) if f.name not in LIST_NAMES)
ROW_CLASSES = {"materials": (ServiceMaterial, MaterialData), "steps": (ServiceStep, StepData),
               "faqs": (ServiceFAQ, FAQData), "form_fields": (OnlineFormField, FormFieldData)}
CHOICE_KINDS = (FormFieldKind.CHOICE, FormFieldKind.MULTIPLE_CHOICE)


# --------------------------------------------------------------------------- reading back


def service_item_data(item: ServiceItem) -> ServiceItemData:
    """The item as a ``ServiceItemData`` (what the admin form starts from, what export writes
    and what publishing re-checks)."""
    values = {name: getattr(item, name) for name in ITEM_FIELDS}
    values["delivery_methods"] = tuple(item.delivery_methods or ())
    return ServiceItemData(
        **values,
        theme_keys=tuple((theme.audience, theme.slug) for theme in item.themes.all()),
        channel_slugs=tuple(channel.slug for channel in item.channels.all()),
        materials=tuple(MaterialData(**{f.name: getattr(row, f.name)
                                        for f in fields(MaterialData)})
                        for row in item.materials.all()),
        steps=tuple(StepData(**{f.name: getattr(row, f.name) for f in fields(StepData)})
                    for row in item.steps.all()),
        faqs=tuple(FAQData(question=row.question, answer=row.answer) for row in item.faqs.all()),
        form_fields=tuple(FormFieldData(**{f.name: getattr(row, f.name)
                                           for f in fields(FormFieldData)})
                          for row in item.form_fields.all()),
    )


# --------------------------------------------------------------------------- validation


class _Errors(dict):
    def add(self, key: str, message) -> None:
        self.setdefault(key, []).append(str(message))

    def merge(self, prefix: str, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            key = f"{prefix}{name}" if name != NON_FIELD_ERRORS else (prefix.rstrip("-")
                                                                       or NON_FIELD_ERRORS)
            for message in messages:
                self.add(key, message)


def _item_values(data: ServiceItemData) -> dict:
    values = {name: getattr(data, name) for name in ITEM_FIELDS}
    values["delivery_methods"] = list(data.delivery_methods)
    return values


def _resolve_themes(data: ServiceItemData, errors: _Errors) -> list[ServiceTheme]:
    keys = list(dict.fromkeys(tuple(key) for key in data.theme_keys))
    if not keys:
        return []
    slugs = {slug for _audience, slug in keys}
    found = {(theme.audience, theme.slug): theme
             for theme in ServiceTheme.objects.filter(slug__in=slugs)}
    unknown = [f"{audience}/{slug}" for audience, slug in keys if (audience, slug) not in found]
    if unknown:
        errors.add("themes", _("办事主题不存在：%(names)s。") % {"names": "、".join(unknown)})
    return [found[key] for key in keys if key in found]


def _resolve_channels(data: ServiceItemData, errors: _Errors) -> list[UserChannel]:
    slugs = list(dict.fromkeys(data.channel_slugs))
    if not slugs:
        return []
    found = {channel.slug: channel for channel in UserChannel.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        errors.add("channels", _("用户频道不存在：%(names)s。") % {"names": "、".join(unknown)})
    return [found[slug] for slug in slugs if slug in found]


def _check_item(item: ServiceItem, data: ServiceItemData, errors: _Errors) -> None:
    try:
        # The two check constraints are checked below with a message on their own field.
        item.full_clean(exclude=["themes", "channels"], validate_constraints=False)
    except ValidationError as error:
        errors.merge("", error)
    if (data.legal_time_limit_days is not None and data.promised_time_limit_days is not None
            and data.promised_time_limit_days > data.legal_time_limit_days):
        errors.add("promised_time_limit_days", _("承诺时限不能长于法定时限。"))
    allowed = set(DeliveryMethod.values)
    wrong = [str(method) for method in data.delivery_methods if method not in allowed]
    if wrong:
        errors.add("delivery_methods", _("结果送达方式只能是%(allowed)s，不认识：%(wrong)s。") % {
            "allowed": "、".join(str(label) for label in DeliveryMethod.labels),
            "wrong": "、".join(wrong)})


def _build_rows(item: ServiceItem, data: ServiceItemData, errors: _Errors) -> dict[str, list]:
    rows: dict[str, list] = {}
    for list_name, (model, row_class) in ROW_CLASSES.items():
        built = []
        for index, row_data in enumerate(getattr(data, list_name)):
            values = {f.name: getattr(row_data, f.name) for f in fields(row_class)}
            row = model(item=item, sort_order=index + 1, **values)
            try:
                row.full_clean(exclude=["item"], validate_unique=False,
                               validate_constraints=False)
            except ValidationError as error:
                errors.merge(f"{list_name}-{index}-", error)
            built.append(row)
        rows[list_name] = built
    _check_duplicates(rows["materials"], "materials", "name", _("材料名称“%(value)s”重复。"),
                      errors)
    _check_duplicates(rows["form_fields"], "form_fields", "name",
                      _("字段标识“%(value)s”重复。"), errors)
    for index, material in enumerate(rows["materials"]):
        if material.copies is not None and material.copies < 1:
            errors.add(f"materials-{index}-copies", _("份数至少为1。"))
    for index, field in enumerate(rows["form_fields"]):
        _check_form_field(index, field, errors)
    return rows


def _check_duplicates(rows, list_name: str, attribute: str, message, errors: _Errors) -> None:
    seen = set()
    for index, row in enumerate(rows):
        value = getattr(row, attribute)
        if value in seen:
            errors.add(f"{list_name}-{index}-{attribute}", message % {"value": value})
        seen.add(value)


def _check_form_field(index: int, field: OnlineFormField, errors: _Errors) -> None:
    prefix = f"form_fields-{index}-"
    label = field.label or field.name
    if field.kind in CHOICE_KINDS and len(field.choice_list) < 2:
        errors.add(f"{prefix}choices", _("字段“%(label)s”是单选或多选，至少要有两个选项（每行一个）。")
                   % {"label": label})
    if field.pattern:
        try:
            re.compile(field.pattern)
        except re.error as problem:
            errors.add(f"{prefix}pattern", _("字段“%(label)s”的格式不是有效的正则表达式：%(problem)s。")
                       % {"label": label, "problem": problem})
    if (field.min_value is not None and field.max_value is not None
            and field.min_value > field.max_value):
        errors.add(f"{prefix}max_value", _("字段“%(label)s”的最大值不能小于最小值。")
                   % {"label": label})


def _check_publishable(data: ServiceItemData, rows: dict[str, list], errors: _Errors) -> None:
    # 网上申请 (depth 3-4) needs something to submit: a form field or a material to upload.
    if (data.is_published and data.online_depth >= OnlineDepth.ONLINE_APPLICATION
            and not rows["form_fields"]
            and not any(material.upload_required for material in rows["materials"])):
        errors.add("online_depth", _("网办深度为三级或四级的事项公开前，须至少设置一个申请表字段"
                                     "或一份须上传的材料。"))


def _validated(item: ServiceItem, data: ServiceItemData):
    errors = _Errors()
    themes = _resolve_themes(data, errors)
    channels = _resolve_channels(data, errors)
    _check_item(item, data, errors)
    rows = _build_rows(item, data, errors)
    _check_publishable(data, rows, errors)
    if errors:
        raise ServicesRuleViolation(dict(errors))
    return themes, channels, rows


# --------------------------------------------------------------------------- saving


def _sync_rows(item: ServiceItem, list_name: str, new_rows: list, key: str | None) -> None:
    """Replace the item's rows of one list; rows whose ``key`` matches are updated in place."""
    model, row_class = ROW_CLASSES[list_name]
    names = [f.name for f in fields(row_class)] + ["sort_order"]
    unused: dict = {}
    for row in model.objects.filter(item=item).order_by("sort_order", "pk"):
        unused.setdefault(getattr(row, key) if key else object(), []).append(row)
    pairs = []
    for row in new_rows:
        matches = unused.get(getattr(row, key)) if key else None
        pairs.append((row, matches.pop(0) if matches else None))
    stale = [old.pk for rows in unused.values() for old in rows]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    for row, old in pairs:
        if old is None:
            row.item = item
            row.save()
            continue
        differing = [name for name in names if getattr(old, name) != getattr(row, name)]
        if differing:
            for name in differing:
                setattr(old, name, getattr(row, name))
            old.save(update_fields=differing)


def _row_snapshot(item: ServiceItem) -> dict:
    return {list_name: [tuple(getattr(row, f.name) for f in fields(row_class))
                        for row in model.objects.filter(item=item).order_by("sort_order", "pk")]
            for list_name, (model, row_class) in ROW_CLASSES.items()}


@transaction.atomic
def save_service_item(*, data: ServiceItemData, actor, item: ServiceItem | None = None,
                      check_permission: bool = True) -> tuple[ServiceItem, bool]:
    """Create the item ``data.code`` or change it (``item``, or the item with that code).

    Everything is checked before anything is written; every problem comes back in one
    ``ServicesRuleViolation`` keyed by field (``"materials-2-name"`` for list rows).
    ``check_permission=False`` is for commands (import, demo), where ``actor`` may be None.
    """
    if item is not None:
        item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    else:
        item = ServiceItem.objects.select_for_update().filter(code=data.code).first()
    created = item is None
    if check_permission:
        bodies = [data.implementing_body]
        if not created:
            bodies.append(item.implementing_body)
        if not all(may_manage_body(actor, body) for body in bodies):
            raise PermissionDenied
    before = {} if created else {name: getattr(item, name) for name in ITEM_FIELDS}
    before_lists = {} if created else {
        **_row_snapshot(item),
        "themes": sorted(item.themes.values_list("pk", flat=True)),
        "channels": sorted(item.channels.values_list("pk", flat=True)),
    }
    if created:
        item = ServiceItem()
    for name, value in _item_values(data).items():
        setattr(item, name, value)
    themes, channels, rows = _validated(item, data)
    item.save()
    item.themes.set(themes)
    item.channels.set(channels)
    changed = [name for name in ITEM_FIELDS
               if created or _comparable(before[name]) != _comparable(getattr(item, name))]
    for list_name, key in (("materials", "name"), ("steps", "name"), ("faqs", None),
                           ("form_fields", "name")):
        _sync_rows(item, list_name, rows[list_name], key)
    after_lists = {**_row_snapshot(item), "themes": sorted(theme.pk for theme in themes),
                   "channels": sorted(channel.pk for channel in channels)}
    for name in ("themes", "channels", *ROW_CLASSES):
        if (created and after_lists[name]) or (not created
                                               and after_lists[name] != before_lists[name]):
            changed.append(name)
    if created or changed:
        _audit("services.item.created" if created else "services.item.updated", actor=actor,
               target=item, data={"code": item.code, "changed": changed})
    return item, created


def _comparable(value):
    return list(value) if isinstance(value, list | tuple) else value


def _set_published(*, item: ServiceItem, actor, published: bool) -> ServiceItem:
    item = ServiceItem.objects.select_for_update().select_related("implementing_body").get(
        pk=item.pk)
    if not may_manage_body(actor, item.implementing_body):
        raise PermissionDenied
    if item.is_published == published:
        raise ServicesRuleViolation({"is_published": [
            _("该事项已经公开。") if published else _("该事项尚未公开。")]})
    if published:
        data = service_item_data(item)
        _validated(item, ServiceItemData(**{**{f.name: getattr(data, f.name)
                                                for f in fields(ServiceItemData)},
                                             "is_published": True}))
    item.is_published = published
    item.save(update_fields=["is_published", "updated_at"])
    _audit("services.item.published" if published else "services.item.unpublished",
           actor=actor, target=item, data={"code": item.code, "changed": ["is_published"]})
    return item


@transaction.atomic
def publish_service_item(*, item: ServiceItem, actor) -> ServiceItem:
    """Make the item's guide public, after the same checks a save makes."""
    return _set_published(item=item, actor=actor, published=True)


@transaction.atomic
def unpublish_service_item(*, item: ServiceItem, actor) -> ServiceItem:
    """Take the item's guide off the public catalogue (applications already made go on)."""
    return _set_published(item=item, actor=actor, published=False)
