"""What other apps plug into the accounts domain. They register Wagtail hooks in their own
``hooks/`` modules, so accounts imports none of them:

``citizen_homepage_sections``
    ``fn(*, user) -> list[HomepageSection]``: the citizen's things in that app (applications,
    letters, bookings, ratings to give, suggestions) for 我的主页, each with its status and next
    deadline. Fetch related objects up front: the homepage has a query-count test.
``citizen_data_export``
    ``fn(*, user) -> dict[str, object]``: JSON-able data the app holds about the citizen, for
    the download of their data (个人信息查阅复制, 个人信息保护法 第四十五条). Keys are section titles.
``citizen_account_closing``
    ``fn(*, user) -> int``: called inside the closing transaction; removes or anonymises the
    personal part of the citizen's records and keeps the records (numbers, dates, states,
    replies). Returns how many records it changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.functional import Promise
from wagtail import hooks

__all__ = [
    "HomepageItem",
    "HomepageSection",
    "close_citizen_records",
    "export_citizen_data",
    "gather_homepage_sections",
]


@dataclass(frozen=True)
class HomepageItem:
    """One of my things: an application, a letter, a booking, a rating to give…"""

    title: str
    url: str
    status: str | Promise = ""
    number: str = ""
    next_deadline: date | None = None
    deadline_label: str | Promise = ""
    # Something the citizen has to do (补正 materials, pay a fee, give a rating).
    needs_action: bool = False
    action_label: str | Promise = ""
    updated_at: datetime | None = None
    # Anything else worth a line, under its own label (the implementing body of a pinned
    # service, why a service is suggested).
    note: str | Promise = ""
    note_label: str | Promise = ""


@dataclass(frozen=True)
class HomepageSection:
    key: str
    title: str | Promise
    order: int
    items: list[HomepageItem] = field(default_factory=list)
    more_url: str = ""
    empty_text: str | Promise = ""


def gather_homepage_sections(*, user) -> list[HomepageSection]:
    sections: list[HomepageSection] = []
    for provider in hooks.get_hooks("citizen_homepage_sections"):
        sections.extend(provider(user=user))
    return sorted(sections, key=lambda section: (section.order, section.key))


def export_citizen_data(*, user) -> dict[str, object]:
    data: dict[str, object] = {}
    for provider in hooks.get_hooks("citizen_data_export"):
        data.update(provider(user=user))
    return data


def close_citizen_records(*, user) -> int:
    return sum(closer(user=user) for closer in hooks.get_hooks("citizen_account_closing"))
