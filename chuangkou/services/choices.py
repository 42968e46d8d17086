from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceItemKind(models.TextChoices):
    """事项类型 of a government service item (regulations.md §6)."""

    ADMINISTRATIVE_LICENSING = "licensing", _("行政许可")
    ADMINISTRATIVE_PENALTY = "penalty", _("行政处罚")
    ADMINISTRATIVE_COERCION = "coercion", _("行政强制")
    ADMINISTRATIVE_LEVY = "levy", _("行政征收")
    ADMINISTRATIVE_PAYMENT = "payment", _("行政给付")
    ADMINISTRATIVE_INSPECTION = "inspection", _("行政检查")
    ADMINISTRATIVE_CONFIRMATION = "confirmation", _("行政确认")
    ADMINISTRATIVE_REWARD = "reward", _("行政奖励")
    ADMINISTRATIVE_ADJUDICATION = "adjudication", _("行政裁决")
    OTHER_ADMINISTRATIVE_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class Audience(models.TextChoices):
    """服务对象: natural persons (个人), legal persons (法人), or both."""

    PERSON = "person", _("个人")
    ENTERPRISE = "enterprise", _("法人")
    BOTH = "both", _("个人和法人")


class ThemeAudience(models.TextChoices):
    """Whose theme list a theme (主题) belongs to: 个人办事 or 法人办事."""

    PERSON = "person", _("个人办事")
    ENTERPRISE = "enterprise", _("法人办事")


class OnlineDepth(models.IntegerChoices):
    """网办深度 (regulations.md §6): how far an item can be done online."""

    INFORMATION = 1, _("一级：在线咨询和办事指南")
    FORMS = 2, _("二级：表格下载")
    ONLINE_APPLICATION = 3, _("三级：网上申请")
    FULLY_ONLINE = 4, _("四级：全程网办")


class RequiredIdentity(models.TextChoices):
    """The least identity an applicant needs for an item. Ordered: each level includes the
    ones before it. The accounts domain says which level a signed-in citizen has."""

    NONE = "none", _("无需登录")
    ACCOUNT = "account", _("注册账号")
    VERIFIED_CONTACT = "verified_contact", _("已验证手机或邮箱")
    REAL_NAME = "real_name", _("实名认证")


IDENTITY_ORDER = (RequiredIdentity.NONE, RequiredIdentity.ACCOUNT,
                  RequiredIdentity.VERIFIED_CONTACT, RequiredIdentity.REAL_NAME)


class MaterialForm(models.TextChoices):
    """材料形式: what the applicant hands in of one material."""

    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ORIGINAL_AND_COPY = "original_and_copy", _("原件和复印件")
    ELECTRONIC = "electronic", _("电子材料")


class FormFieldKind(models.TextChoices):
    """The kinds of field an item's online form (网上申请表) may have."""

    TEXT = "text", _("单行文字")
    TEXTAREA = "textarea", _("多行文字")
    INTEGER = "integer", _("整数")
    DECIMAL = "decimal", _("数字（可带小数）")
    DATE = "date", _("日期")
    EMAIL = "email", _("电子邮箱")
    PHONE = "phone", _("手机号码")
    RESIDENT_ID = "resident_id", _("居民身份证号码")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    CHOICE = "choice", _("单选")
    MULTIPLE_CHOICE = "multiple_choice", _("多选")
    CHECKBOX = "checkbox", _("勾选确认")


class ApplicationStatus(models.TextChoices):
    """Where an application (办件) is: 提交 → 受理/不予受理 → (补正) → 办理 → 办结 → 送达."""

    SUBMITTED = "submitted", _("待受理")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("待补正")
    REFUSED = "refused", _("不予受理")
    IN_PROGRESS = "in_progress", _("办理中")
    APPROVED = "approved", _("办结（准予）")
    DENIED = "denied", _("办结（不予）")
    DELIVERED = "delivered", _("结果已送达")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SUPPLEMENT_REQUESTED,
                             ApplicationStatus.IN_PROGRESS)
DECIDED_APPLICATION_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.DENIED,
                                ApplicationStatus.DELIVERED)


class ApplicationChannel(models.TextChoices):
    WEBSITE = "website", _("网站")
    PROXY = "proxy", _("代办")
    WINDOW = "window", _("窗口")
    BACK_OFFICE = "back_office", _("业务系统")


class ApplicationEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交申请")
    PASSED_ON = "passed_on", _("逐级转报")
    ACCEPTED = "accepted", _("受理")
    REFUSED = "refused", _("不予受理")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("一次性告知补正")
    SUPPLEMENTED = "supplemented", _("补正材料")
    STEP_COMPLETED = "step_completed", _("办理环节")
    APPROVED = "approved", _("准予办理")
    DENIED = "denied", _("不予办理")
    FEE_REQUESTED = "fee_requested", _("缴费通知")
    FEE_CONFIRMED = "fee_confirmed", _("缴费确认")
    DELIVERED = "delivered", _("结果送达")
    WITHDRAWN = "withdrawn", _("撤回申请")
    RATED = "rated", _("评价")
    BACK_OFFICE = "back_office", _("业务系统回传")


class DeliveryMethod(models.TextChoices):
    """办理结果送达方式."""

    ONLINE = "online", _("网上送达（电子证照或文书）")
    POST = "post", _("邮寄送达")
    COLLECT = "collect", _("窗口领取")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待缴费")
    CONFIRMED = "confirmed", _("已缴费")
    CANCELLED = "cancelled", _("已取消")


class WebhookDeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("多次失败，已停止")


class BookableResourceKind(models.TextChoices):
    TRAINING_COURSE = "training_course", _("培训课程")
    COMMUNITY_SERVICE = "community_service", _("社区服务")
    HALL_APPOINTMENT = "hall_appointment", _("大厅办事预约")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已到场")
    NO_SHOW = "no_show", _("未到场")


class RatingLevel(models.IntegerChoices):
    """好差评 five levels (国办发〔2019〕51号, GB/T 39734-2020)."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIRLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已整改")


class RectificationEntryKind(models.TextChoices):
    ASSIGNED = "assigned", _("指定整改责任人")
    FOLLOW_UP = "follow_up", _("回访")
    RECTIFICATION = "rectification", _("整改情况")
    CLOSED = "closed", _("整改办结")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("申诉成立（评价已撤除）")
    REJECTED = "rejected", _("申诉不成立")
