"""Reads for citizen accounts: the identity a letter kind asks of its writer, a citizen's own
letters for 我的主页, and everything the mailbox holds about a citizen for the download of their
data (个人信息保护法 第四十五条)."""

from datetime import date, datetime

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from chuangkou.accounts.queries import identity_level, level_at_least

from ..choices import OPEN_STATUSES, LetterStatus, ReplyStatus
from ..models import REQUIRED_IDENTITY_CHOICES, Letter, LetterEvent, LetterKind, LetterReply

__all__ = [
    "HOMEPAGE_LETTERS",
    "awaits_rating",
    "homepage_letters",
    "identity_requirement_label",
    "identity_shortfall",
    "is_running",
    "letter_export",
    "letters_for_export",
]

HOMEPAGE_LETTERS = 5
# Assigned and not yet answered: the reply deadline is running.
RUNNING_STATUSES = (LetterStatus.IN_PROGRESS, LetterStatus.IN_REVIEW)


def identity_shortfall(kind: LetterKind, user) -> str | None:
    """The identity level a letter of ``kind`` asks of its writer when ``user`` (a visitor, a
    citizen, staff) does not have it; None when they may write it."""
    needed = kind.required_identity
    if not needed or level_at_least(identity_level(user), needed):
        return None
    return needed


def identity_requirement_label(level: str) -> str:
    """What a writer has to do for a required level ("须登录并实名认证")."""
    return str(dict(REQUIRED_IDENTITY_CHOICES).get(level, ""))


def homepage_letters(user, *, limit: int = HOMEPAGE_LETTERS) -> list[Letter]:
    """我的来信 on 我的主页: letters whose answer waits for the writer's rating first, then the
    ones still being handled, then the rest; newest first within each. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Letter.objects.filter(user=user).select_related("rating")
        .annotate(homepage_rank=Case(
            When(Q(status=LetterStatus.ANSWERED, rating__isnull=True), then=Value(0)),
            When(status__in=OPEN_STATUSES, then=Value(1)),
            default=Value(2), output_field=IntegerField()))
        .order_by("homepage_rank", "-submitted_at", "-pk")[:limit])


def is_running(letter: Letter) -> bool:
    return letter.status in RUNNING_STATUSES and letter.due_on is not None


def awaits_rating(letter: Letter) -> bool:
    return letter.status == LetterStatus.ANSWERED and getattr(letter, "rating", None) is None


def letters_for_export(user) -> QuerySet[Letter]:
    """The letters ``user`` wrote while signed in, with what the writer may see of each (the
    approved reply, the visible steps, the attachments, the rating) fetched up front."""
    return (Letter.objects.filter(user=user)
            .select_related("kind", "addressed_body", "assigned_body", "writer", "rating",
                            "merged_into")
            .prefetch_related(
                Prefetch("replies", to_attr="approved_replies",
                         queryset=LetterReply.objects.filter(status=ReplyStatus.APPROVED)
                         .select_related("body")),
                Prefetch("events", to_attr="writer_events",
                         queryset=LetterEvent.objects.filter(visible_to_writer=True)
                         .order_by("occurred_at", "pk")),
                "attachments")
            .order_by("submitted_at", "pk"))


def _moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def letter_export(letter: Letter) -> dict[str, object]:
    """One letter as the writer may see it (their own words and details, never staff notes),
    for a letter from ``letters_for_export``."""
    writer = getattr(letter, "writer", None)
    rating = getattr(letter, "rating", None)
    return {
        "信件编号": letter.number,
        "信件类型": letter.kind.name,
        "写信对象": letter.addressed_body.name if letter.addressed_body else "不确定",
        "承办单位": letter.assigned_body.name if letter.assigned_body else "",
        "标题": letter.title,
        "内容": letter.content,
        "事发地点": letter.address_text,
        "同意公开": letter.may_publish,
        "已公开": letter.is_published,
        "来信渠道": str(letter.get_channel_display()),
        "来信时间": _moment(letter.submitted_at),
        "状态": str(letter.get_status_display()),
        "合并至": letter.merged_into.number if letter.merged_into else "",
        "答复期限": _day(letter.due_on),
        "答复时间": _moment(letter.answered_at),
        "写信人信息": {
            "姓名": writer.name if writer else "",
            "联系电话": writer.phone if writer else "",
            "电子邮箱": writer.email if writer else "",
            "联系地址": writer.address if writer else "",
        },
        "附件": [item.original_name for item in letter.attachments.all()],
        "答复": [{"答复单位": reply.body.name, "答复内容": reply.text,
                "答复时间": _moment(reply.reviewed_at)} for reply in letter.approved_replies],
        "办理过程": [{"时间": _moment(event.occurred_at), "事项": str(event.get_kind_display()),
                  "说明": event.public_note} for event in letter.writer_events],
        "评价": ({"满意度": str(rating.get_level_display()), "评价意见": rating.comment,
                "评价时间": _moment(rating.rated_at)} if rating else None),
    }
