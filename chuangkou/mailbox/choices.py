from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterStatus(models.TextChoices):
    """Where a letter is in the closed loop 受理 → 派单/转办 → 办理 → 答复 → 督办 → 办结 → 评价
    (国办发〔2020〕53号)."""

    HELD = "held", _("待审核")  # the lexicon screen held it for a moderator (not dropped)
    AWAITING_DISPATCH = "awaiting_dispatch", _("待分办")  # no rule matched, or returned (退单)
    IN_PROGRESS = "in_progress", _("办理中")  # assigned to a body; drafting a reply
    IN_REVIEW = "in_review", _("答复待审核")  # a draft waits for the reviewer
    ANSWERED = "answered", _("已答复")  # an approved reply was sent: 办结
    MERGED = "merged", _("已合并")  # a duplicate, answered through the letter it joined
    REFUSED = "refused", _("不予受理")  # a moderator refused it, with a reason to the writer


OPEN_STATUSES = (LetterStatus.HELD, LetterStatus.AWAITING_DISPATCH, LetterStatus.IN_PROGRESS,
                 LetterStatus.IN_REVIEW)
CLOSED_STATUSES = (LetterStatus.ANSWERED, LetterStatus.MERGED, LetterStatus.REFUSED)


class LetterChannel(models.TextChoices):
    WEBSITE = "website", _("网站")
    OPEN311 = "open311", _("移动端接口（Open311）")
    HOTLINE = "hotline", _("12345热线")
    STAFF = "staff", _("工作人员登记")


class LetterEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    HELD = "held", _("待审核")
    RELEASED = "released", _("审核通过")
    REFUSED = "refused", _("不予受理")
    ROUTED = "routed", _("自动分办")
    DISPATCHED = "dispatched", _("分办")
    FORWARDED = "forwarded", _("转办")
    RETURNED = "returned", _("退单")
    MERGED = "merged", _("合并")
    DRAFT_SUBMITTED = "draft_submitted", _("答复提交审核")
    REPLY_RETURNED = "reply_returned", _("不合格重新办理")
    ANSWERED = "answered", _("答复")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_APPROVED = "extension_approved", _("延期批准")
    EXTENSION_REFUSED = "extension_refused", _("延期不批准")
    REMINDED = "reminded", _("到期提醒")
    ESCALATED = "escalated", _("超期督办")
    URGED = "urged", _("督办")
    URGE_ANSWERED = "urge_answered", _("督办回复")
    PUBLISHED = "published", _("公开")
    UNPUBLISHED = "unpublished", _("撤销公开")
    RATED = "rated", _("评价")
    FOLLOW_UP_CLOSED = "follow_up_closed", _("回访办结")
    IMPORTED = "imported", _("热线工单同步")


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    RETURNED = "returned", _("不合格退回")
    APPROVED = "approved", _("审核通过")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不批准")


class SatisfactionLevel(models.IntegerChoices):
    """Five levels, as in 好差评 (GB/T 39734-2020); 1 and 2 open a follow-up."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    NEUTRAL = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("跟踪中")
    CLOSED = "closed", _("已办结")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已超期")
