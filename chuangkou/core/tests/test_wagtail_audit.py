"""Wagtail's page actions, from every path, land in the audit trail (审计记录)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import GroupApprovalTask, Page, Revision, Workflow, WorkflowPage, WorkflowTask
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import RoleGroup
from chuangkou.sitecluster.models import ArticlePage
from chuangkou.sitecluster.tests.factories import make_article, make_column

pytestmark = pytest.mark.django_db

ADDRESS = "10.9.8.7"


def article_form(article, **overrides):
    data = {
        "title": article.title, "slug": article.slug, "subtitle": "", "source": "",
        "author": "", "publication_date": article.publication_date.strftime("%Y-%m-%d %H:%M"),
        "summary": "", "keywords": "", "body": rich_text(article.body),
        "images": inline_formset([]), "attachments": inline_formset([]),
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def events_for(page, action):
    return list(AuditEvent.objects.filter(action=action, target_id=str(page.pk)))


def the_event(page, action) -> AuditEvent:
    events = events_for(page, action)
    assert len(events) == 1, f"{action} on {page}: {[e.action for e in events]}"
    return events[0]


def assert_recorded(event, *, actor, page, address):
    assert event.actor == actor
    assert event.actor_label == (actor.username if actor else "")
    assert event.target_type == ContentType.objects.get_for_model(ArticlePage)
    assert event.target_id == str(page.pk)
    assert event.target_label == page.title
    assert event.client_address == address
    assert event.outcome == "success"
    assert event.occurred_at.tzinfo is not None


def test_publishing_in_the_admin_records_the_reviewer_the_page_and_the_address(client, cluster):
    draft = make_article(column=cluster.education_news, title="待发布的通知", publish=False)
    reviewer = cluster.user("education", Role.REVIEWER)
    client.force_login(reviewer)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]),
                           article_form(draft, **{"action-publish": "publish"}),
                           REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.live
    event = the_event(draft, "wagtail.publish")
    assert_recorded(event, actor=reviewer, page=draft, address=ADDRESS)
    assert event.data["revision_id"] == draft.live_revision_id
    assert event.data["label"] == draft.title
    assert event.data["log_entry"].startswith("wagtailcore.pagelogentry:")


def test_moving_in_the_admin_records_where_from_and_where_to(client, cluster):
    article = cluster.education_article
    destination = make_column(parent=cluster.education_site.home_page, title="通知公告",
                              slug="notices", responsible_body=cluster.education)
    administrator = cluster.user("education", Role.SITE_ADMINISTRATOR)
    client.force_login(administrator)
    response = client.post(reverse("wagtailadmin_pages:move_confirm",
                                   args=[article.pk, destination.pk]), REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_parent().pk == destination.pk
    event = the_event(article, "wagtail.move")
    assert_recorded(event, actor=administrator, page=article, address=ADDRESS)
    assert event.data["source"]["id"] == cluster.education_news.pk
    assert event.data["destination"]["id"] == destination.pk


def test_unpublishing_in_the_admin_is_recorded(client, cluster):
    article = cluster.education_article
    reviewer = cluster.user("education", Role.REVIEWER)
    client.force_login(reviewer)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]),
                           REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live
    assert_recorded(the_event(article, "wagtail.unpublish"), actor=reviewer, page=article,
                    address=ADDRESS)


def test_deleting_in_the_admin_is_recorded_and_outlives_the_page(client, cluster):
    article = cluster.education_article
    administrator = cluster.user("education", Role.SITE_ADMINISTRATOR)
    client.force_login(administrator)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]),
                           REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    assert not Page.objects.filter(pk=article.pk).exists()
    assert_recorded(the_event(article, "wagtail.delete"), actor=administrator, page=article,
                    address=ADDRESS)


def test_scheduled_publication_is_recorded_when_scheduled_and_when_the_command_publishes(
        cluster):
    draft = make_article(column=cluster.education_news, title="定时发布的通知", publish=False)
    reviewer = cluster.user("education", Role.REVIEWER)
    draft.go_live_at = timezone.now() + timedelta(days=1)
    revision = draft.save_revision(user=reviewer)
    revision.publish(user=reviewer)
    draft.refresh_from_db()
    assert not draft.live
    assert_recorded(the_event(draft, "wagtail.publish.schedule"), actor=reviewer, page=draft,
                    address=None)
    assert not events_for(draft, "wagtail.publish")

    # The time comes (moved here instead of waited for): publish_scheduled publishes it.
    past = timezone.now() - timedelta(minutes=1)
    content = {**revision.content, "go_live_at": past.isoformat()}
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=past, content=content)
    call_command("publish_scheduled")
    draft.refresh_from_db()
    assert draft.live
    event = the_event(draft, "wagtail.publish.scheduled")
    assert_recorded(event, actor=None, page=draft, address=None)
    assert event.data["revision_id"] == revision.pk


def test_cancelling_a_schedule_is_recorded(cluster):
    draft = make_article(column=cluster.education_news, title="取消定时的通知", publish=False)
    reviewer = cluster.user("education", Role.REVIEWER)
    draft.go_live_at = timezone.now() + timedelta(days=1)
    revision = draft.save_revision(user=reviewer)
    revision.publish(user=reviewer)
    # What the admin's "cancel scheduled publication" does.
    revision.approved_go_live_at = None
    revision.save(user=reviewer, update_fields=["approved_go_live_at"])
    assert_recorded(the_event(draft, "wagtail.schedule.cancel"), actor=reviewer, page=draft,
                    address=None)


def test_expiry_unpublished_by_the_command_is_recorded_as_the_system(cluster):
    article = cluster.education_article
    Page.objects.filter(pk=article.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled")
    article.refresh_from_db()
    assert not article.live and article.expired
    assert_recorded(the_event(article, "wagtail.unpublish.scheduled"), actor=None, page=article,
                    address=None)


@pytest.fixture
def review_workflow(cluster):
    group = RoleGroup.objects.get(body=cluster.education, role=Role.REVIEWER).group
    task = GroupApprovalTask.objects.create(name="审核员审核")
    task.groups.set([group])
    workflow = Workflow.objects.create(name="教育局先审后发")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=cluster.education_news,
                                          defaults={"workflow": workflow})
    return workflow


def submitted(cluster, workflow, title):
    editor = cluster.user("education", Role.EDITOR)
    draft = make_article(column=cluster.education_news, title=title, publish=False)
    draft.save_revision(user=editor)
    state = workflow.start(draft, editor)
    assert the_event(draft, "wagtail.workflow.start").actor == editor
    return draft, state


def test_workflow_approval_is_recorded_with_the_reviewer(cluster, review_workflow):
    draft, state = submitted(cluster, review_workflow, "待审核的通知")
    reviewer = cluster.user("education", Role.REVIEWER)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve", comment="同意发布")
    assert_recorded(the_event(draft, "wagtail.workflow.approve"), actor=reviewer, page=draft,
                    address=None)
    draft.refresh_from_db()
    assert draft.live
    assert the_event(draft, "wagtail.publish").actor == reviewer


def test_workflow_rejection_is_recorded_with_the_reviewer(cluster, review_workflow):
    draft, state = submitted(cluster, review_workflow, "被退回的通知")
    reviewer = cluster.user("education", Role.REVIEWER)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "reject", comment="数据有误")
    event = the_event(draft, "wagtail.workflow.reject")
    assert_recorded(event, actor=reviewer, page=draft, address=None)
    assert event.data["comment"] == "数据有误"
    assert not events_for(draft, "wagtail.publish")


def test_a_model_log_entry_names_the_model_instance(cluster):
    actor = cluster.user("education", Role.SITE_ADMINISTRATOR)
    site = cluster.education_site
    log(instance=site, action="wagtail.edit", user=actor, data={"note": "测试"})
    event = AuditEvent.objects.get(action="wagtail.edit", target_id=str(site.pk),
                                   target_type=ContentType.objects.get_for_model(site))
    assert (event.actor, event.target_label, event.data["note"]) == (actor, str(site), "测试")


def test_an_action_that_rolls_back_leaves_no_audit_record(cluster):
    article = cluster.education_article
    with pytest.raises(RuntimeError), transaction.atomic():
        log(instance=article, action="wagtail.lock", user=None)
        assert events_for(article, "wagtail.lock")
        raise RuntimeError("the action failed")
    assert not events_for(article, "wagtail.lock")
