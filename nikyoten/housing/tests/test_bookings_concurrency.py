"""Many editors approving overlapping requests at the same moment: exactly one booking ends up confirmed.

The threads wait at a barrier and then approve together, each on its own database connection. The second test
removes the services' friendly pre-check, so only the database (migration 0002: an exclusion constraint on
PostgreSQL, triggers under IMMEDIATE transactions on SQLite) stands between the threads and a double booking.

These tests commit for real, so the database is flushed afterwards; the municipality master that the root
conftest loads once per session is then loaded again, for the tests that follow.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.db import connection

from nikyoten.accounts.choices import MembershipRole
from nikyoten.accounts.principals import roles_of
from nikyoten.accounts.tests.factories import MembershipFactory, UserFactory
from nikyoten.housing.choices import BookingStatus
from nikyoten.housing.models import Booking
from nikyoten.housing.services import bookings as services
from nikyoten.housing.tests.factories import BookingFactory, TrialStayUnitFactory
from nikyoten.housing.tests.test_bookings_base import months_later, start_day

THREADS = 12


@pytest.fixture
def master_reloaded_after(django_db_blocker):
    """Requested before `transactional_db`, so it is torn down after the flush."""
    yield
    from nikyoten.regions import reference_data
    from nikyoten.regions.services import reference_data_load

    with django_db_blocker.unblock():
        reference_data_load(data=reference_data.build())


def _race(editor, booking_ids):
    """Approve every booking at once, one thread each; what each approval came to."""
    barrier = threading.Barrier(len(booking_ids))

    def approve(booking_id):
        try:
            barrier.wait()
            try:
                services.booking_approve(actor=editor, booking_id=booking_id)
            except services.BookingConflict as exc:
                return exc.message
            return "confirmed"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(booking_ids)) as pool:
        return Counter(pool.map(approve, booking_ids))


def _overlapping_requests():
    editor = MembershipFactory(role=MembershipRole.EDITOR).user
    unit = TrialStayUnitFactory(listing__organization=editor.memberships.get().organization, max_stay=6)
    start = start_day()
    # Every seeker asks for the same two months.
    ids = [
        BookingFactory(unit=unit, seeker=UserFactory(), start_date=start, end_date=months_later(start, 2)).pk
        for _ in range(THREADS)
    ]
    roles_of(editor)  # fill the per-actor role cache before the threads share the actor
    return editor, unit, ids


def test_concurrent_approvals_confirm_exactly_one(master_reloaded_after, transactional_db):
    editor, unit, ids = _overlapping_requests()

    outcomes = _race(editor, ids)

    assert outcomes["confirmed"] == 1, outcomes
    assert sum(outcomes.values()) == THREADS
    assert Booking.objects.filter(unit=unit, status=BookingStatus.CONFIRMED).count() == 1
    assert Booking.objects.filter(unit=unit, status=BookingStatus.REQUESTED).count() == THREADS - 1


def test_without_the_pre_check_the_database_alone_keeps_one(master_reloaded_after, transactional_db):
    editor, unit, ids = _overlapping_requests()

    with mock.patch.object(services, "_refuse_if_confirmed_overlap"):
        outcomes = _race(editor, ids)

    assert outcomes == Counter(
        {
            "confirmed": 1,
            "この期間には先に確定した予約があるため、承認できません。一覧を更新して確認してください。": THREADS
            - 1,
        }
    )
    assert Booking.objects.filter(unit=unit, status=BookingStatus.CONFIRMED).count() == 1
