"""Helpers the citizen-side tests share (no tests here): a published life-event guide, themes,
enterprise members, bookings."""

import itertools

from django.db.models import F
from django.utils import timezone

from chuangkou.accounts.choices import EnterpriseRole
from chuangkou.accounts.models import EnterpriseMembership
from chuangkou.core.query_codes import query_code_digest

from ..actions.bookings import contact_digest
from ..choices import Audience, ThemeAudience
from ..models import (
    BookerDetails,
    Booking,
    BookingSlot,
    GuideOption,
    GuideQuestion,
    GuideStep,
    LifeEventGuide,
    ServiceTheme,
)
from ..rules import booking_number
from .factories import QUERY_CODE

_bookings = itertools.count(1)


def theme(slug: str, audience: str = ThemeAudience.PERSON) -> ServiceTheme:
    """One of the themes the migrations create (jiaoyu, shengyu, huji…)."""
    return ServiceTheme.objects.get(audience=audience, slug=slug)


def make_guide(body, items, *, published: bool = True, slug: str = "xiaohai-shangxue"):
    """小孩上学: one question (是否转学？); 入学登记 (``items[2]``) always, 办理转学
    (``items[0]``) only when 是. Returns the guide, the question and the 是 option."""
    guide = LifeEventGuide.objects.create(title="小孩上学", slug=slug, responsible_body=body,
                                          is_published=published, audience=Audience.PERSON)
    question = GuideQuestion.objects.create(guide=guide, text="是否转学？")
    yes = GuideOption.objects.create(question=question, label="是", sort_order=1)
    GuideOption.objects.create(question=question, label="否", sort_order=2)
    GuideStep.objects.create(guide=guide, title="入学登记", item=items[2], sort_order=1)
    transfer = GuideStep.objects.create(guide=guide, title="办理转学", item=items[0],
                                        sort_order=2)
    transfer.required_options.add(yes)
    return guide, question, yes


def add_member(enterprise, account) -> EnterpriseMembership:
    return EnterpriseMembership.objects.create(enterprise=enterprise, account=account,
                                               role=EnterpriseRole.MEMBER)


def make_booking(slot, *, user=None, phone: str = "13912345678", name: str = "王秀英",
                 email: str = "", status: str = "booked"):
    """A booking row as ``book_slot`` leaves it (the slot's count taken), without its
    notifications and reminder."""
    sequence = next(_bookings)
    year = timezone.localdate().year + 1000
    number = booking_number(year, sequence)
    booking = Booking.objects.create(
        number=number, year=year, sequence=sequence,
        query_code_digest=query_code_digest(number, QUERY_CODE), slot=slot, user=user,
        contact_digest=contact_digest(phone), status=status, booked_at=timezone.now())
    BookerDetails.objects.create(booking=booking, name=name, phone=phone, email=email)
    if status == "booked":
        BookingSlot.objects.filter(pk=slot.pk).update(booked_count=F("booked_count") + 1)
    return booking

