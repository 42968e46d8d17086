"""Staff work lists of the mailbox admin: what each letter role sees and has to do (the list
tabs and the home panel 我的待办来信)."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from chuangkou.core.calendar import add_working_days
from chuangkou.organizations.choices import Role
from chuangkou.organizations.queries import bodies_of

from ..choices import FollowUpStatus, LetterStatus
from ..models import FollowUp, UrgeNote
from .letters import letters_visible_to

__all__ = ["may_use_letters", "staff_letters", "supervision_condition", "todo_counts"]

HANDLING_ROLES = (Role.LETTER_HANDLER, Role.LETTER_REVIEWER)
ASSIGNED_OPEN = (LetterStatus.IN_PROGRESS, LetterStatus.IN_REVIEW)
DUE_SOON_WORKING_DAYS = 3


def _staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def may_use_letters(user) -> bool:
    """Letter staff: handlers, reviewers, dispatchers and supervisors (mailbox.view_letter)."""
    return _staff(user) and user.has_perm("mailbox.view_letter")


def _unanswered_urge():
    return Exists(UrgeNote.objects.filter(letter=OuterRef("pk"), responded_at__isnull=True))


def _open_follow_up():
    return Exists(FollowUp.objects.filter(letter=OuterRef("pk"), status=FollowUpStatus.OPEN))


def supervision_condition(today: date) -> Q:
    """督办: overdue or escalated open letters, unanswered urge notes, open follow-ups."""
    late = Q(status__in=ASSIGNED_OPEN) & (Q(due_on__lt=today) | Q(escalated_at__isnull=False))
    return late | Q(has_unanswered_urge=True) | Q(has_open_follow_up=True)


def staff_letters(user):
    """The letters ``user`` may see, with what the lists show fetched up front."""
    return (letters_visible_to(user)
            .select_related("kind", "assigned_body", "addressed_body")
            .annotate(has_unanswered_urge=_unanswered_urge(),
                      has_open_follow_up=_open_follow_up()))


def todo_counts(user, *, today: date, calendar) -> dict[str, int] | None:
    """我的待办来信: what waits for ``user`` (their bodies' open letters, the dispatch queue for
    dispatchers, the supervision list for supervisors), with due-soon and overdue counts.
    None for users without letter work. Two queries (the calendar and one aggregate)."""
    if not may_use_letters(user):
        return None
    condition = Q(pk__in=[])
    if user.has_perm("mailbox.handle_letter") or user.has_perm("mailbox.review_letter_reply"):
        condition |= Q(status__in=ASSIGNED_OPEN,
                       assigned_body__in=bodies_of(user, roles=HANDLING_ROLES).values("pk"))
    if user.has_perm("mailbox.dispatch_letter"):
        condition |= Q(status__in=(LetterStatus.HELD, LetterStatus.AWAITING_DISPATCH))
    if user.has_perm("mailbox.supervise_letter"):
        condition |= supervision_condition(today)
    soon = add_working_days(today, DUE_SOON_WORKING_DAYS, calendar=calendar)
    open_assigned = Q(status__in=ASSIGNED_OPEN)
    letters = (letters_visible_to(user)
               .annotate(has_unanswered_urge=_unanswered_urge(),
                         has_open_follow_up=_open_follow_up())
               .filter(condition).order_by())
    return letters.aggregate(
        total=Count("pk"),
        due_soon=Count("pk", filter=open_assigned & Q(due_on__gte=today, due_on__lte=soon)),
        overdue=Count("pk", filter=open_assigned & Q(due_on__lt=today)),
    )
