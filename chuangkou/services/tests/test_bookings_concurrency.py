"""No overbooking under parallel requests: real threads, each with its own database
connection (closed when done, as parallel requests do), on SQLite and PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from chuangkou.services import actions
from chuangkou.services.exceptions import BookingRefused
from chuangkou.services.models import Booking, BookingSlot

from .factories import make_slot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREADS = 20
CAPACITY = 5


def phone(index: int) -> str:
    return f"139{index:08d}"


def book(slot_pk: int, index: int, barrier: threading.Barrier) -> str:
    try:
        barrier.wait(timeout=30)
        try:
            booking, _code = actions.book_slot(
                slot=BookingSlot(pk=slot_pk),
                booker=actions.BookerInput(name=f"居民{index}", phone=phone(index)),
                form_token=f"parallel-{index}")
        except BookingRefused as refused:
            return " ".join(message for messages in refused.errors.values()
                            for message in messages)
        return booking.number
    finally:
        connection.close()


def test_20_parallel_bookings_of_5_places_book_exactly_5(cluster):
    slot = make_slot(body=cluster.district, capacity=CAPACITY)
    barrier = threading.Barrier(THREADS)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda index: book(slot.pk, index, barrier), range(THREADS)))
    booked = [result for result in results if result.startswith("YY")]
    refused = [result for result in results if not result.startswith("YY")]
    assert len(booked) == CAPACITY
    assert len(refused) == THREADS - CAPACITY
    assert all("名额已满" in message for message in refused)
    slot.refresh_from_db()
    assert slot.booked_count == CAPACITY
    assert Booking.objects.filter(slot=slot).count() == CAPACITY
    # Gapless numbers: the refused requests took none.
    assert sorted(Booking.objects.values_list("sequence", flat=True)) == list(
        range(1, CAPACITY + 1))


def test_cancellations_racing_with_bookings_keep_the_count_right(cluster):
    slot = make_slot(body=cluster.district, capacity=CAPACITY)
    held = [actions.book_slot(slot=slot, booker=actions.BookerInput(
        name=f"居民{index}", phone=phone(index)))[0] for index in range(CAPACITY)]
    newcomers = range(100, 100 + THREADS - CAPACITY)
    barrier = threading.Barrier(len(held) + len(newcomers))

    def cancel(booking: Booking) -> str:
        try:
            barrier.wait(timeout=30)
            actions.cancel_booking(booking=booking, reason="临时有事")
            return "cancelled"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        cancels = [pool.submit(cancel, booking) for booking in held]
        books = [pool.submit(book, slot.pk, index, barrier) for index in newcomers]
        cancelled = [future.result() for future in cancels]
        outcomes = [future.result() for future in books]
    assert cancelled == ["cancelled"] * CAPACITY
    slot.refresh_from_db()
    live = Booking.objects.filter(slot=slot, status="booked").count()
    assert slot.booked_count == live
    assert live <= CAPACITY
    assert live == len([outcome for outcome in outcomes if outcome.startswith("YY")])
    # Every place a cancellation freed before the last booking attempt was taken again, and
    # nobody was refused while a place was free: refusals only say the slot is full.
    assert all("名额已满" in outcome for outcome in outcomes if not outcome.startswith("YY"))
