"""The review workflow (三审): role-based reviewers, no self-approval, rejection with comment,
and no direct publication where a workflow applies."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.publishing.actions import assign_review_workflow, create_review_workflow
from chuangkou.publishing.exceptions import WorkflowInvalid
from chuangkou.publishing.models import RoleReviewTask
from chuangkou.sitecluster.tests.factories import make_article

THREE_STEPS = [("部门初审", Role.REVIEWER), ("分管领导复审", Role.SITE_ADMINISTRATOR),
               ("保密审查", Role.CONFIDENTIALITY_REVIEWER)]


@pytest.fixture
def reviewed_site(cluster):
    workflow = create_review_workflow(name="教育局三审", steps=THREE_STEPS)
    assign_review_workflow(workflow=workflow, page=cluster.education_site.home_page)
    return workflow


def draft_by(cluster, role=Role.CONTRIBUTOR, **extra):
    author = cluster.user("education", role)
    article = make_article(column=cluster.education_news, publish=False, actor=author, **extra)
    return article, author


def submit(workflow, article, author):
    return workflow.start(article, author)


def current_task_state(article):
    return WorkflowState.objects.active().for_instance(article).get().current_task_state.specific


def decide(cluster, article, role, action="approve", body="education", **kwargs):
    state = current_task_state(article)
    state.task.specific.on_action(state, cluster.user(body, role), action, **kwargs)


def test_draft_passes_three_steps_and_is_published(cluster, reviewed_site):
    article, author = draft_by(cluster)
    submit(reviewed_site, article, author)
    for step, (_name, role) in enumerate(THREE_STEPS):
        assert not article.__class__.objects.get(pk=article.pk).live
        assert current_task_state(article).task.specific.role == role, step
        decide(cluster, article, role)
    article.refresh_from_db()
    assert article.live
    assert WorkflowState.objects.for_instance(article).get().status == WorkflowState.STATUS_APPROVED


def test_reviewers_come_from_the_managing_bodys_roles(cluster, reviewed_site):
    article, author = draft_by(cluster)
    submit(reviewed_site, article, author)
    task = current_task_state(article).task.specific
    assert task.get_actions(article, cluster.user("education", Role.REVIEWER))
    # Same role in another body, and another role in the same body, may not decide.
    assert task.get_actions(article, cluster.user("health", Role.REVIEWER)) == []
    assert task.get_actions(article, cluster.user("education", Role.EDITOR)) == []
    assert task.get_actions(article, cluster.user("city", Role.SYSTEM_ADMINISTRATOR)) == []
    with pytest.raises(PermissionDenied):
        decide(cluster, article, Role.REVIEWER, body="health")
    assert current_task_state(article).status == TaskState.STATUS_IN_PROGRESS


def test_nobody_approves_their_own_draft(cluster, reviewed_site):
    article, author = draft_by(cluster, role=Role.REVIEWER)
    submit(reviewed_site, article, author)
    task = current_task_state(article).task.specific
    assert task.get_actions(article, author) == []
    with pytest.raises(PermissionDenied):
        task.on_action(current_task_state(article), author, "approve")
    article.refresh_from_db()
    assert not article.live


def test_last_editor_cannot_approve_either(cluster, reviewed_site):
    article, author = draft_by(cluster)
    submit(reviewed_site, article, author)
    reviewer = cluster.user("education", Role.REVIEWER)
    article.title = "示例市教育局关于做好寒假安全工作的通知（修改稿）"
    article.save_revision(user=reviewer)
    task = current_task_state(article).task.specific
    assert task.get_actions(article, reviewer) == []


def test_rejection_with_comment_returns_draft_to_author(cluster, reviewed_site):
    article, author = draft_by(cluster)
    submit(reviewed_site, article, author)
    decide(cluster, article, Role.REVIEWER, action="reject", comment="第二段数据来源请注明。")
    state = WorkflowState.objects.for_instance(article).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "第二段数据来源请注明。"
    article.refresh_from_db()
    assert not article.live


def test_rejection_form_requires_a_comment():
    form_class = RoleReviewTask(name="初审", role=Role.REVIEWER).get_form_for_action("reject")
    form = form_class(data={"comment": ""})
    assert not form.is_valid()
    assert "请写明需要修改的内容" in form.errors["comment"][0]


def test_reviewer_sees_pending_drafts_of_own_bodies_only(cluster, reviewed_site):
    article, author = draft_by(cluster)
    submit(reviewed_site, article, author)
    task = current_task_state(article).task.specific
    assert list(task.get_task_states_user_can_moderate(cluster.user("education", Role.REVIEWER))) \
        == [current_task_state(article)]
    assert not task.get_task_states_user_can_moderate(cluster.user("health", Role.REVIEWER)).exists()
    assert not task.get_task_states_user_can_moderate(author).exists()


def test_workflow_needs_a_name_and_reviewing_roles(cluster):
    with pytest.raises(WorkflowInvalid) as error:
        create_review_workflow(name=" ", steps=[("初审", Role.AUDITOR)])
    assert set(error.value.errors) == {"name", "steps"}
    with pytest.raises(WorkflowInvalid) as error:
        create_review_workflow(name="空流程", steps=[])
    assert "steps" in error.value.errors


def test_workflow_creation_and_assignment_are_audited(cluster, reviewed_site):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"publishing.workflow.create", "publishing.workflow.assign"} <= actions


def test_editor_publish_button_is_refused_under_a_workflow(cluster, reviewed_site, client):
    reviewer = cluster.user("education", Role.REVIEWER)
    article, _author = draft_by(cluster)
    client.force_login(reviewer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    page = client.get(edit_url)
    assert page.status_code == 200
    assert 'name="action-publish"' not in page.content.decode()
    response = client.post(edit_url, {
        "title": article.title, "slug": article.slug, "body": '{"blocks":[{"key":"a","text":"正文","type":"unstyled","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "publication_date": "2026-11-20 10:00:00", "kind": "", "action-publish": "action-publish",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0", "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000", "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000", "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
    }, follow=True)
    assert "须经审核流程发布" in response.content.decode()
    article.refresh_from_db()
    assert not article.live


def test_site_without_workflow_keeps_direct_publication(cluster, client):
    reviewer = cluster.user("health", Role.REVIEWER)
    article = make_article(column=cluster.health_news, publish=False, actor=reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert 'name="action-publish"' in page.content.decode()


def test_only_system_administrators_manage_review_chains(cluster, client):
    url = reverse("wagtailadmin_workflows:index")
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    assert client.get(url).status_code == 200
    for role in (Role.EDITOR, Role.REVIEWER, Role.SITE_ADMINISTRATOR, Role.AUDITOR):
        client.force_login(cluster.user("education", role))
        assert client.get(url).status_code in (302, 403), role


def test_system_administrator_adds_a_role_review_step_in_the_admin(cluster, client):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    content_type = ContentType.objects.get_for_model(RoleReviewTask)
    url = reverse("wagtailadmin_workflows:add_task",
                  args=[content_type.app_label, content_type.model])
    response = client.post(url, {"name": "保密审查（教育）", "role": Role.CONFIDENTIALITY_REVIEWER})
    assert response.status_code == 302
    assert RoleReviewTask.objects.filter(name="保密审查（教育）",
                                         role=Role.CONFIDENTIALITY_REVIEWER).exists()
    refused = client.post(url, {"name": "审计", "role": Role.AUDITOR})
    assert refused.status_code == 200
    assert not RoleReviewTask.objects.filter(name="审计").exists()
