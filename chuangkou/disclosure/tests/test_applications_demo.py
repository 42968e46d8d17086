"""The demo applications load through the actions and a second run adds nothing."""

from io import StringIO

from chuangkou.disclosure.choices import ApplicationStatus
from chuangkou.disclosure.demo.applications import load_applications_demo
from chuangkou.disclosure.models import DisclosureApplication
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.factories import make_staff


def test_demo_applications_load_once(cluster):
    make_staff(body=cluster.education, role=Role.DISCLOSURE_OFFICER, username="jyj_disclosure")
    load_applications_demo(stdout=StringIO())
    load_applications_demo(stdout=StringIO())
    statuses = sorted(DisclosureApplication.objects.values_list("status", flat=True))
    assert statuses == sorted([ApplicationStatus.ANSWERED, ApplicationStatus.PROCESSING,
                               ApplicationStatus.AWAITING_CORRECTION,
                               ApplicationStatus.AWAITING_CONFIRMATION])
