from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityLevel(models.TextChoices):
    """身份等级 of a citizen account. Ordered: each level includes the ones before it."""

    UNVERIFIED = "unverified", _("未验证")
    VERIFIED_CONTACT = "verified_contact", _("已验证手机或邮箱")
    REAL_NAME = "real_name", _("实名认证")


IDENTITY_LEVEL_ORDER = (IdentityLevel.UNVERIFIED, IdentityLevel.VERIFIED_CONTACT,
                        IdentityLevel.REAL_NAME)


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("正常")
    CLOSED = "closed", _("已注销")


class ContactKind(models.TextChoices):
    """How a citizen is reached and signs in: a mobile number or an e-mail address."""

    MOBILE = "mobile", _("手机号码")
    EMAIL = "email", _("电子邮箱")


class CodePurpose(models.TextChoices):
    """What a one-time code (验证码) proves."""

    VERIFY_CONTACT = "verify_contact", _("验证手机或邮箱")
    RESET_PASSWORD = "reset_password", _("找回密码")


class RealNameSource(models.TextChoices):
    """Who confirmed a citizen's real name and ID number."""

    STAFF = "staff", _("工作人员核验")
    IDENTITY_PROVIDER = "identity_provider", _("统一身份认证平台")


class RealNameRequestStatus(models.TextChoices):
    PENDING = "pending", _("待核验")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class EnterpriseStatus(models.TextChoices):
    """法人账号: an enterprise acts on the platform only once staff have verified it."""

    PENDING = "pending", _("待核验")
    VERIFIED = "verified", _("已核验")
    REJECTED = "rejected", _("未通过")


class EnterpriseRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("管理员")
    MEMBER = "member", _("经办人")


class ReminderSource(models.TextChoices):
    """Where a reminder came from: set by the citizen, or made for them by a booking."""

    MANUAL = "manual", _("自定义提醒")
    DOCUMENT_EXPIRY = "document_expiry", _("证件到期")
    BOOKING = "booking", _("预约")


class ReminderStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待提醒")
    SENT = "sent", _("已提醒")
    CANCELLED = "cancelled", _("已取消")


class SubscriptionTarget(models.TextChoices):
    """What a subscription follows (订阅): a column, a body's publications, or a topic
    (主题分类 of the disclosure catalogue)."""

    COLUMN = "column", _("栏目")
    BODY = "body", _("机构")
    TOPIC = "topic", _("主题")


class SubscriptionDelivery(models.TextChoices):
    DAILY_EMAIL = "daily_email", _("每日邮件摘要")
    WEEKLY_EMAIL = "weekly_email", _("每周邮件摘要")
    RSS = "rss", _("RSS 订阅")
