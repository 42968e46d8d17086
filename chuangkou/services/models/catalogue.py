from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    Audience,
    FormFieldKind,
    MaterialForm,
    OnlineDepth,
    RequiredIdentity,
    ServiceItemKind,
    ThemeAudience,
)

__all__ = [
    "ITEM_CODE_VALIDATOR",
    "OnlineFormField",
    "ServiceFAQ",
    "ServiceItem",
    "ServiceMaterial",
    "ServiceStep",
    "ServiceTheme",
    "UserChannel",
]

# 事项编码: national codes mix digits, capitals and hyphens (e.g. 11330100002482287Q3000117001).
ITEM_CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-Z][0-9A-Z-]{3,63}$",
    _("事项编码只能由大写字母、数字和连字符组成，4至64位，以字母或数字开头。"),
)


class ServiceTheme(models.Model):
    """办事主题: one of the personal (个人办事) or enterprise (法人办事) themes the catalogue is
    browsed by, e.g. 生育收养 or 设立变更."""

    audience = models.CharField(_("适用对象"), max_length=20, choices=ThemeAudience.choices)
    name = models.CharField(_("名称"), max_length=40)
    slug = models.SlugField(_("标识"), max_length=60)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("办事主题")
        verbose_name_plural = _("办事主题")
        ordering = ["audience", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["audience", "slug"],
                                    name="services_theme_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class UserChannel(models.Model):
    """用户频道: a channel for one group of users (市民, 企业, 投资者, 旅游者, 华侨, 三农:
    the six channels of Jiangmen's portal)."""

    name = models.CharField(_("名称"), max_length=40)
    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("用户频道")
        verbose_name_plural = _("用户频道")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """政务服务事项 with its 办事指南 (regulations.md §6): one service a body provides.

    The guide's lists (申请材料, 办理流程, 常见问题) and the online form (网上申请表) are rows in
    their own tables. Items are keyed by ``code`` (事项编码) for import and export.
    """

    code = models.CharField(_("事项编码"), max_length=64, unique=True,
                            validators=[ITEM_CODE_VALIDATOR])
    name = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("事项类型"), max_length=20, choices=ServiceItemKind.choices)
    implementing_body = models.ForeignKey(
        "organizations.Body", verbose_name=_("实施主体"), on_delete=models.PROTECT,
        related_name="service_items")
    audience = models.CharField(_("服务对象"), max_length=20, choices=Audience.choices,
                                default=Audience.PERSON)
    themes = models.ManyToManyField(ServiceTheme, verbose_name=_("办事主题"), blank=True,
                                    related_name="items")
    channels = models.ManyToManyField(UserChannel, verbose_name=_("用户频道"), blank=True,
                                      related_name="items")
    summary = models.CharField(_("简介"), max_length=300, blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    acceptance_conditions = models.TextField(_("受理条件"), blank=True)
    process_description = models.TextField(_("办理流程说明"), blank=True)
    place = models.CharField(_("办理地点"), max_length=300, blank=True)
    office_hours = models.CharField(_("办理时间"), max_length=300, blank=True)
    legal_time_limit_days = models.PositiveSmallIntegerField(
        _("法定时限（工作日）"), null=True, blank=True,
        help_text=_("法律法规规定的办理时限；空表示法律未规定。"))
    promised_time_limit_days = models.PositiveSmallIntegerField(
        _("承诺时限（工作日）"), default=0,
        help_text=_("自受理之日起算；0 表示即办件（当场办结）。"))
    charges_fee = models.BooleanField(_("收费"), default=False)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    fee_standard = models.TextField(_("收费标准"), blank=True)
    consultation_phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=60, blank=True)
    visits_required = models.PositiveSmallIntegerField(
        _("到现场次数"), default=1, help_text=_("0 表示全程网办，无需到现场。"))
    special_procedures = models.TextField(
        _("特殊环节"), blank=True,
        help_text=_("听证、检验、检测、鉴定、专家评审等，所需时间不计入办理时限。"))
    online_depth = models.PositiveSmallIntegerField(_("网办深度"), choices=OnlineDepth.choices,
                                                    default=OnlineDepth.INFORMATION)
    required_identity = models.CharField(
        _("申请所需身份"), max_length=20, choices=RequiredIdentity.choices,
        default=RequiredIdentity.NONE)
    accepts_proxy = models.BooleanField(
        _("可代办"), default=False,
        help_text=_("社区、街道可代群众提交，逐级转报至实施主体。"))
    delivery_methods = models.JSONField(
        _("结果送达方式"), default=list, blank=True,
        help_text=_("DeliveryMethod 的取值列表。"))
    is_published = models.BooleanField(_("已公开"), default=False, db_index=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["sort_order", "code"]
        permissions = [
            ("manage_service_items", _("维护服务事项、办事指南和网上申请表")),
            ("manage_life_event_guides", _("维护场景式服务")),
            ("handle_service_applications", _("受理和办理网上申请")),
            ("supervise_services", _("督办办件并处理好差评")),
            ("manage_bookings", _("维护预约资源并管理预约")),
            ("manage_back_office_systems", _("维护业务系统对接")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(online_depth__gte=1, online_depth__lte=4),
                name="services_item_online_depth_range",
                violation_error_message=_("网办深度只能是一至四级。"),
            ),
            models.CheckConstraint(
                condition=models.Q(legal_time_limit_days__isnull=True)
                | models.Q(promised_time_limit_days__lte=models.F("legal_time_limit_days")),
                name="services_item_promise_within_law",
                violation_error_message=_("承诺时限不能长于法定时限。"),
            ),
        ]
        indexes = [
            models.Index(fields=["implementing_body", "is_published"],
                         name="services_item_body"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_instant(self) -> bool:
        """即办件: decided on the spot (承诺时限 0)."""
        return self.promised_time_limit_days == 0

    @property
    def applies_online(self) -> bool:
        return self.online_depth >= OnlineDepth.ONLINE_APPLICATION


class ServiceMaterial(models.Model):
    """申请材料: one material of an item's guide, with the blank form and the filled example
    to download (Wagtail documents)."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE,
                             related_name="materials")
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("材料形式"), max_length=20, choices=MaterialForm.choices,
                            default=MaterialForm.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    is_required = models.BooleanField(_("必要材料"), default=True)
    source = models.CharField(_("来源渠道"), max_length=200, blank=True,
                              help_text=_("如：申请人自备、公安机关核发。"))
    notes = models.TextField(_("填报须知"), blank=True)
    blank_form = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("空白表格"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    example = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("填写样例"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    upload_required = models.BooleanField(
        _("网上申请须上传"), default=False,
        help_text=_("网上申请时必须上传这份材料的电子件。"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["item", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"],
                                    name="services_material_unique_name",
                                    violation_error_message=_("同一事项的材料名称不能重复。")),
            models.CheckConstraint(condition=models.Q(copies__gte=1),
                                   name="services_material_copies_positive",
                                   violation_error_message=_("份数至少为1。")),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceStep(models.Model):
    """办理流程: one step of how an item is handled, in order (受理 → 审查 → 决定 → 送达)."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE,
                             related_name="steps")
    name = models.CharField(_("环节名称"), max_length=100)
    description = models.TextField(_("环节说明"), blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("环节时限（工作日）"), null=True,
                                                       blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["item", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class ServiceFAQ(models.Model):
    """常见问题 of an item's guide."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE,
                             related_name="faqs")
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("解答"))
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["item", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.question


class OnlineFormField(models.Model):
    """One field of an item's online application form (网上申请表), defined in the admin so
    no item needs code of its own. Uploads are asked for by material (``upload_required``)."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE,
                             related_name="form_fields")
    name = models.SlugField(_("字段标识"), max_length=50,
                            help_text=_("小写字母、数字和下划线，如 child_name。"))
    label = models.CharField(_("字段名称"), max_length=100)
    kind = models.CharField(_("字段类型"), max_length=20, choices=FormFieldKind.choices,
                            default=FormFieldKind.TEXT)
    is_required = models.BooleanField(_("必填"), default=True)
    help_text = models.CharField(_("填写说明"), max_length=300, blank=True)
    choices = models.TextField(_("选项"), blank=True, help_text=_("单选、多选时每行一个选项。"))
    max_length = models.PositiveIntegerField(_("最多字数"), null=True, blank=True)
    min_value = models.DecimalField(_("最小值"), max_digits=14, decimal_places=2, null=True,
                                    blank=True)
    max_value = models.DecimalField(_("最大值"), max_digits=14, decimal_places=2, null=True,
                                    blank=True)
    pattern = models.CharField(_("格式（正则表达式）"), max_length=200, blank=True)
    pattern_message = models.CharField(_("格式不符时的提示"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请表字段")
        verbose_name_plural = _("申请表字段")
        ordering = ["item", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"],
                                    name="services_form_field_unique_name",
                                    violation_error_message=_("同一申请表的字段标识不能重复。")),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
