"""What 依申请公开 gives a citizen account (accounts' hooks, see ``accounts.homepage``): the
我的依申请公开 section of 我的主页, the applications in the download of their data, and the
anonymising of their applications when they close the account."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.accounts.homepage import HomepageItem, HomepageSection
from chuangkou.accounts.queries import citizen_account_of

from ..actions import anonymise_applications_of_user
from ..choices import DisclosureAttribute, Theme
from ..models import DisclosureApplication, DisclosureRecord
from ..queries import (
    application_export,
    applications_for_export,
    homepage_applications,
    next_step,
)

APPLICATIONS_ORDER = 50


def _item(application: DisclosureApplication) -> HomepageItem:
    step = next_step(application)
    return HomepageItem(
        title=application.information_title or application.information_description[:60],
        url=reverse("disclosure:my_application", args=[application.number]),
        status=application.get_status_display(), number=application.number,
        next_deadline=step.deadline, deadline_label=step.label,
        needs_action=step.needs_action, action_label=step.action_label,
        updated_at=application.updated_at)


@hooks.register("citizen_homepage_sections")
def applications_section(*, user) -> list[HomepageSection]:
    if citizen_account_of(user) is None:
        return []
    return [HomepageSection(
        key="disclosure.applications", title=_("我的依申请公开"), order=APPLICATIONS_ORDER,
        items=[_item(application) for application in homepage_applications(user)],
        more_url=reverse("disclosure:my_applications"),
        empty_text=_("您还没有登录后提出过政府信息公开申请。"))]


@hooks.register("citizen_data_export")
def applications_export(*, user) -> dict[str, object]:
    return {str(_("政府信息公开申请")): [application_export(application)
                                  for application in applications_for_export(user)]}


@hooks.register("citizen_account_closing")
def anonymise_applications(*, user) -> int:
    return anonymise_applications_of_user(user=user)


@hooks.register("subscription_topics")
def subscription_topics():
    """Citizens subscribe to the catalogue's 主题分类 (accounts.subscription_sources)."""
    return Theme.choices


@hooks.register("subscription_pages")
def subscription_pages(*, body_id=None, topic=""):
    """The pages of proactively disclosed records of a body or of a 主题分类."""
    records = DisclosureRecord.objects.filter(attribute=DisclosureAttribute.PROACTIVE,
                                              page__isnull=False)
    if body_id is not None:
        records = records.filter(body_id=body_id)
    elif topic:
        records = records.filter(theme=topic)
    else:
        return None
    return records.values("page_id")
