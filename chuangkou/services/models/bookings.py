from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import BookableResourceKind, BookingStatus

__all__ = ["BookableResource", "BookerDetails", "Booking", "BookingSlot"]


class BookableResource(models.Model):
    """预约资源: something citizens book a place in — a training course (培训课程), a
    community service (社区服务) or an appointment at the service hall (大厅办事预约)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30, choices=BookableResourceKind.choices)
    body = models.ForeignKey("organizations.Body", verbose_name=_("提供单位"),
                             on_delete=models.PROTECT, related_name="bookable_resources")
    item = models.ForeignKey("services.ServiceItem", verbose_name=_("对应事项"), null=True,
                             blank=True, on_delete=models.SET_NULL,
                             related_name="bookable_resources")
    place = models.CharField(_("地点"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    requires_account = models.BooleanField(_("须登录后预约"), default=False)
    cancel_hours_before = models.PositiveSmallIntegerField(
        _("最晚取消（开始前小时数）"), default=2)
    is_published = models.BooleanField(_("已公开"), default=False, db_index=True)

    class Meta:
        verbose_name = _("预约资源")
        verbose_name_plural = _("预约资源")
        ordering = ["body", "name"]

    def __str__(self) -> str:
        return self.name


class BookingSlot(models.Model):
    """One session or time slot of a resource with its capacity. ``booked_count`` is changed
    only under a row lock and the database refuses it above ``capacity``: no overbooking."""

    resource = models.ForeignKey(BookableResource, verbose_name=_("预约资源"),
                                 on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    booked_count = models.PositiveIntegerField(_("已预约"), default=0)
    is_cancelled = models.BooleanField(_("已取消"), default=False)

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["resource", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(booked_count__lte=models.F("capacity")),
                                   name="services_slot_not_overbooked",
                                   violation_error_message=_("预约人数不能超过名额。")),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="services_slot_ends_after_start",
                                   violation_error_message=_("结束时间必须晚于开始时间。")),
            models.CheckConstraint(condition=models.Q(capacity__gte=1),
                                   name="services_slot_capacity_positive",
                                   violation_error_message=_("名额至少为1。")),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked_count, 0)


class Booking(models.Model):
    """预约: one citizen's place in one slot, with a number and a query code to see or cancel
    it. A phone number holds at most one live booking per slot (``contact_digest``)."""

    number = models.CharField(_("预约编号"), max_length=24, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    sequence = models.PositiveIntegerField(_("顺序号"), editable=False)
    query_code_digest = models.CharField(_("查询码摘要"), max_length=64, editable=False)
    form_token = models.CharField(_("表单令牌"), max_length=64, unique=True, null=True,
                                  blank=True, editable=False)
    slot = models.ForeignKey(BookingSlot, verbose_name=_("预约时段"), on_delete=models.PROTECT,
                             related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预约人账号"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="bookings")
    contact_digest = models.CharField(_("联系方式摘要"), max_length=64, editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=BookingStatus.choices,
                              default=BookingStatus.BOOKED, db_index=True)
    booked_at = models.DateTimeField(_("预约时间"))
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    result_note = models.CharField(_("结果说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-booked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"],
                                    name="services_booking_unique_sequence"),
            models.UniqueConstraint(fields=["slot", "contact_digest"],
                                    condition=models.Q(status="booked"),
                                    name="services_booking_one_per_contact",
                                    violation_error_message=_("该手机号码已预约这一时段。")),
        ]

    def __str__(self) -> str:
        return self.number


class BookerDetails(models.Model):
    """预约人信息: kept apart from the booking, never published."""

    booking = models.OneToOneField(Booking, verbose_name=_("预约"), on_delete=models.CASCADE,
                                   related_name="booker")
    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("手机号码"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("预约人信息")
        verbose_name_plural = _("预约人信息")

    def __str__(self) -> str:
        return str(self.booking)
