"""An attribute other than 主动公开 is never published, on any path; the platform's fixed
columns cannot be deleted or moved."""

import pytest
from django.urls import reverse

from chuangkou.core.models import AuditEvent
from chuangkou.disclosure.actions.catalogue import (
    create_disclosure_platform,
    update_disclosure_record,
)
from chuangkou.disclosure.choices import DisclosureAttribute
from chuangkou.disclosure.exceptions import DisclosurePublicationRefused
from chuangkou.disclosure.tests.factories_catalogue import make_document, register
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

WITHHELD = {"attribute": DisclosureAttribute.ON_REQUEST,
            "withheld_reason": "涉及第三方合法权益，依《条例》第十五条依申请公开。"}


def edit_form_data(page, **extra):
    data = {
        "title": page.title, "slug": page.slug,
        "body": '{"blocks":[{"key":"a","text":"正文","type":"unstyled","depth":0,'
                '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "publication_date": "2026-05-20 10:00:00",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000", "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000", "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_withheld_document_is_refused_by_revision_publish(cluster):
    record = make_document(column=cluster.health_news, body=cluster.health, publish=False,
                           **WITHHELD)
    page = record.page.specific
    with pytest.raises(DisclosurePublicationRefused) as blocked:
        page.save_revision().publish()
    assert "依申请公开" in blocked.value.errors["__all__"][0]
    page.refresh_from_db()
    assert not page.live


def test_withheld_document_is_refused_by_the_editors_publish_button(cluster, client):
    record = make_document(column=cluster.health_news, body=cluster.health, publish=False,
                           **WITHHELD)
    client.force_login(cluster.user("health", Role.REVIEWER))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[record.page_id]),
                           edit_form_data(record.page, **{"action-publish": "action-publish"}),
                           follow=True)
    assert "不能在网站上发布" in response.content.decode()
    record.page.refresh_from_db()
    assert not record.page.live


def test_registering_a_live_page_as_withheld_takes_it_down(cluster):
    record = register(page=cluster.health_article, body=cluster.health,
                      actor=cluster.user("health", Role.DISCLOSURE_OFFICER), **WITHHELD)
    record.page.refresh_from_db()
    assert not record.page.live


def test_changing_a_live_pages_attribute_unpublishes_it_and_is_audited(cluster):
    officer = cluster.user("health", Role.DISCLOSURE_OFFICER)
    record = register(page=cluster.health_article, body=cluster.health)
    assert record.page.live
    update_disclosure_record(
        record=record, body=cluster.health, category=record.category,
        written_on=record.written_on, formed_on=record.formed_on, document_number="",
        theme=record.theme, genre=record.genre, audience=record.audience,
        attribute=DisclosureAttribute.NOT_DISCLOSED,
        withheld_reason="属于内部事务信息，依《条例》第十六条不予公开。",
        method=record.method, summary="", actor=officer)
    record.page.refresh_from_db()
    assert not record.page.live
    event = AuditEvent.objects.get(action="disclosure.record.page_unpublished")
    assert event.actor == officer


def test_proactive_document_publishes_normally(cluster):
    record = make_document(column=cluster.health_news, body=cluster.health, publish=False)
    record.page.specific.save_revision().publish()
    record.refresh_from_db()
    assert record.page.live and record.published_on is not None


def test_the_platform_and_its_fixed_columns_cannot_be_deleted_or_moved(cluster, client):
    platform = create_disclosure_platform(body=cluster.health,
                                          parent_page=cluster.health_site.home_page)
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    children = list(platform.get_children().order_by("path"))
    for page in [platform, *children]:
        response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]), follow=True)
        assert "不能删除或移动" in response.content.decode(), page.title
    moves = [(platform, cluster.education_site.home_page),
             (children[0], cluster.health_site.home_page),
             (children[1], cluster.health_site.home_page)]
    for page, destination in moves:
        response = client.post(reverse("wagtailadmin_pages:move_confirm",
                                       args=[page.pk, destination.pk]), follow=True)
        assert "不能删除或移动" in response.content.decode(), page.title
    assert platform.get_children().count() == 4
    platform.refresh_from_db()
    assert platform.get_parent().pk == cluster.health_site.home_page.pk
    assert all(child.get_parent().pk == platform.pk for child in platform.get_children())
