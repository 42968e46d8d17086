"""What the mailbox gives a citizen account (accounts' hooks, see ``accounts.homepage``): the
我的来信 section of 我的主页, the letters in the download of their data, and the anonymising of
their letters when they close the account."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.accounts.homepage import HomepageItem, HomepageSection
from chuangkou.accounts.queries import citizen_account_of

from ..actions import anonymise_letters_of_user
from ..models import Letter
from ..queries import (
    awaits_rating,
    homepage_letters,
    is_running,
    letter_export,
    letters_for_export,
)

LETTERS_ORDER = 40


def _item(letter: Letter) -> HomepageItem:
    needs_rating = awaits_rating(letter)
    return HomepageItem(
        title=letter.title, url=reverse("mailbox:letter", args=[letter.number]),
        status=letter.get_status_display(), number=letter.number,
        next_deadline=letter.due_on if is_running(letter) else None,
        deadline_label=_("答复期限") if is_running(letter) else "",
        needs_action=needs_rating, action_label=_("请评价答复") if needs_rating else "",
        updated_at=letter.updated_at)


@hooks.register("citizen_homepage_sections")
def letters_section(*, user) -> list[HomepageSection]:
    if citizen_account_of(user) is None:
        return []
    return [HomepageSection(
        key="mailbox.letters", title=_("我的来信"), order=LETTERS_ORDER,
        items=[_item(letter) for letter in homepage_letters(user)],
        more_url=reverse("mailbox:mine"),
        empty_text=_("您还没有登录后写过信。咨询、求助、投诉、建议，可以在政民互动写信。"))]


@hooks.register("citizen_data_export")
def letters_export(*, user) -> dict[str, object]:
    return {str(_("来信")): [letter_export(letter) for letter in letters_for_export(user)]}


@hooks.register("citizen_account_closing")
def anonymise_letters(*, user) -> int:
    return anonymise_letters_of_user(user=user)
