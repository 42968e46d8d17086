"""The demo applications load through the actions and a second run adds nothing."""

from io import StringIO

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.demo import citizens as demo_citizens
from chuangkou.accounts.tests.factories import make_citizen
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


def test_the_demo_citizen_gets_one_application_in_hand(cluster, monkeypatch):
    make_staff(body=cluster.education, role=Role.DISCLOSURE_OFFICER, username="jyj_disclosure")
    zhangwei = make_citizen(level=IdentityLevel.REAL_NAME, real_name="张伟")
    monkeypatch.setattr(demo_citizens, "demo_citizen",
                        lambda key: zhangwei if key == "zhangwei" else None)
    load_applications_demo(stdout=StringIO())
    load_applications_demo(stdout=StringIO())
    (application,) = DisclosureApplication.objects.filter(user=zhangwei.user)
    assert application.status == ApplicationStatus.PROCESSING and application.due_on
    assert application.applicant.name == "张伟"
    assert DisclosureApplication.objects.count() == 5
