"""What closing a citizen account does to the letters they wrote while signed in (账号注销,
个人信息保护法 第四十七条): the writer's personal details are removed and the link to the account
cut; the letters themselves, their numbers, replies, timelines and ratings stay, being records
of the government's handling (published letters stay published: they were masked already)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Letter, LetterEvent, WriterDetails
from ._common import _audit

__all__ = ["anonymise_letters_of_user"]


@transaction.atomic
def anonymise_letters_of_user(*, user) -> int:
    """Anonymise the writer of every letter ``user`` wrote: name → 已注销用户, phone, e-mail and
    address cleared, the account link and the writer's own timeline entries unlinked. Returns
    how many letters changed."""
    letters = list(Letter.objects.select_for_update().filter(user=user).order_by("pk"))
    if not letters:
        return 0
    ids = [letter.pk for letter in letters]
    WriterDetails.objects.filter(letter_id__in=ids).update(
        name=_("已注销用户"), phone="", email="", address="")
    LetterEvent.objects.filter(letter_id__in=ids, actor=user).update(actor=None)
    Letter.objects.filter(pk__in=ids).update(user=None, updated_at=timezone.now())
    for letter in letters:
        _audit("mailbox.writer.anonymised", target=letter, data={"reason": "account_closed"})
    return len(ids)
