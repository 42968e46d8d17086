from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangkou.accounts.choices import IdentityLevel

__all__ = ["REQUIRED_IDENTITY_CHOICES", "LetterKind", "Open311ApiKey", "ReplyTimeLimit",
           "RoutingRule"]

# The values are accounts' identity levels; "" means anyone may write, signed in or not
# (写信无需注册). The labels say what the writer has to do.
REQUIRED_IDENTITY_CHOICES = [
    ("", _("不限（无需登录）")),
    (IdentityLevel.UNVERIFIED, _("须登录公众账号")),
    (IdentityLevel.VERIFIED_CONTACT, _("须登录并验证手机或邮箱")),
    (IdentityLevel.REAL_NAME, _("须登录并实名认证")),
]


class LetterKind(models.Model):
    """信件类型: 咨询, 求助, 投诉, 建议, 批评 and whatever else a city adds.

    The time limit is each government's own rule (regulations.md section 8: "set by each
    government, practice 5-15 working days"); ``ReplyTimeLimit`` overrides it per body.
    """

    code = models.SlugField(_("代码"), max_length=40, unique=True,
                            help_text=_("Open311 服务代码的前半部分，例如 zixun。"))
    name = models.CharField(_("名称"), max_length=40, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    reply_working_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("自交办之日起计算的工作日数；各地自定，实践中为5至15个工作日。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    required_identity = models.CharField(
        _("写信人身份要求"), max_length=20, blank=True, default="",
        choices=REQUIRED_IDENTITY_CHOICES,
        help_text=_("写这类信须登录并达到的身份等级；不限表示任何人都可以写信，无需登录。"))

    class Meta:
        verbose_name = _("信件类型")
        verbose_name_plural = _("信件类型")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class ReplyTimeLimit(models.Model):
    """A body's own time limit for one kind of letter (办理时限), overriding the kind's."""

    body = models.ForeignKey("organizations.Body", verbose_name=_("办理单位"),
                             on_delete=models.CASCADE, related_name="letter_time_limits")
    kind = models.ForeignKey(LetterKind, verbose_name=_("信件类型"), on_delete=models.CASCADE,
                             related_name="time_limits")
    reply_working_days = models.PositiveSmallIntegerField(
        _("答复时限（工作日）"), validators=[MinValueValidator(1), MaxValueValidator(60)])

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["body", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["body", "kind"], name="mailbox_time_limit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.kind}: {self.reply_working_days}"


class RoutingRule(models.Model):
    """分办规则: which body a new letter goes to. Rules are tried by priority (lowest first);
    every condition that is set must hold. A letter no rule matches waits for a dispatcher."""

    name = models.CharField(_("规则名称"), max_length=80)
    priority = models.PositiveIntegerField(_("优先级"), default=100,
                                           help_text=_("数字小的先匹配。"))
    kind = models.ForeignKey(LetterKind, verbose_name=_("信件类型"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="routing_rules",
                             help_text=_("留空表示任何类型。"))
    addressed_body = models.ForeignKey(
        "organizations.Body", verbose_name=_("写信对象"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="routing_rules_addressed",
        help_text=_("留空表示任何写信对象（包括“不确定”）。"),
    )
    keywords = models.TextField(
        _("关键词"), blank=True,
        help_text=_("每行一个，标题或内容含任一关键词即匹配；留空表示不限。"),
    )
    target_body = models.ForeignKey("organizations.Body", verbose_name=_("交办单位"),
                                    on_delete=models.CASCADE, related_name="routing_rules")
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("分办规则")
        verbose_name_plural = _("分办规则")
        ordering = ["priority", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class Open311ApiKey(models.Model):
    """An Open311 client (a mobile app, the 12345 hotline system) allowed to POST letters.
    Only a digest of the key is stored; the key is shown once when created."""

    name = models.CharField(_("接入方"), max_length=80, unique=True)
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="open311_api_keys")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 接入密钥")
        verbose_name_plural = _("Open311 接入密钥")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
