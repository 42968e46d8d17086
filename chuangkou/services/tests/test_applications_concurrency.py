"""Under real concurrency: 50 parallel submissions get numbers 1..50 without gaps or
duplicates; two handlers accepting the same application at once — one wins, the other is
told why."""

from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.db import connection

from chuangkou.core.testing import run_at_once
from chuangkou.organizations.choices import Role

from .. import actions
from ..choices import ApplicationStatus
from ..exceptions import ServicesRuleViolation
from ..models import ServiceApplication
from .factories import make_item
from .test_applications_support import submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_fifty_parallel_submissions_are_numbered_one_to_fifty(cluster):
    item = make_item(body=cluster.education)

    def one(index):
        try:
            return submit(item, form_token=f"par-{index}")[0].sequence
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, range(50)))
    assert sorted(results) == list(range(1, 51))
    assert sorted(ServiceApplication.objects.values_list("sequence", flat=True)) == list(
        range(1, 51))


def test_two_handlers_accepting_at_once_one_wins(cluster):
    from chuangkou.organizations.tests.factories import make_staff

    item = make_item(body=cluster.education)
    application, _code = submit(item)
    handlers = [cluster.user("education", Role.SERVICE_HANDLER),
                make_staff(body=cluster.education, role=Role.SERVICE_HANDLER)]

    def accept(index):
        return actions.accept_application(application=ServiceApplication.objects.get(
            pk=application.pk), actor=handlers[index])

    results, errors = run_at_once([partial(accept, index) for index in range(2)])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ServicesRuleViolation)
    assert "办理中" in errors[0].errors["__all__"][0]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
