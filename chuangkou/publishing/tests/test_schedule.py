"""Scheduled publication and expiry (定时发布/定时下线): the schedule rules, the admin form,
and the publishing job that survives a blocked revision."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.publishing.actions import add_lexicon_entry
from chuangkou.publishing.choices import LexiconCategory, Severity
from chuangkou.publishing.exceptions import PublicationBlocked
from chuangkou.publishing.rules import schedule_errors
from chuangkou.sitecluster.models import ArticlePage
from chuangkou.sitecluster.tests.factories import make_article

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_future_schedule_is_accepted():
    assert schedule_errors(go_live_at=NOW + timedelta(hours=1),
                           expire_at=NOW + timedelta(days=30), now=NOW) == {}


def test_schedule_in_the_past_is_refused():
    errors = schedule_errors(go_live_at=NOW - timedelta(minutes=1), expire_at=None, now=NOW)
    assert errors == {"go_live_at": ["定时发布时间不能早于当前时间。"]}


def test_unchanged_past_schedule_of_a_live_page_is_accepted():
    past = NOW - timedelta(days=3)
    assert schedule_errors(go_live_at=past, expire_at=None, now=NOW,
                           previous_go_live_at=past) == {}


@pytest.mark.parametrize("expire_offset", [timedelta(0), timedelta(hours=-1)])
def test_expiry_not_after_publication_is_refused(expire_offset):
    go_live = NOW + timedelta(days=1)
    errors = schedule_errors(go_live_at=go_live, expire_at=go_live + expire_offset, now=NOW)
    assert errors == {"expire_at": ["下线时间必须晚于定时发布时间。"]}


def test_expiry_in_the_past_is_refused():
    errors = schedule_errors(go_live_at=None, expire_at=NOW - timedelta(seconds=1), now=NOW)
    assert errors == {"expire_at": ["下线时间必须晚于当前时间。"]}


def edit_form_data(article, **overrides):
    data = {
        "title": article.title, "slug": article.slug,
        "body": '{"blocks":[{"key":"a","text":"示例市教育局召开会议。","type":"unstyled","depth":0,'
                '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "publication_date": "2026-11-20 10:00:00",
        "go_live_at": "", "expire_at": "",
    }
    for prefix in ("images", "attachments", "comments"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0",
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    data.update(overrides)
    return data


def test_admin_form_names_the_field_of_a_past_schedule(cluster, client):
    editor = cluster.user("health", Role.REVIEWER)
    article = make_article(column=cluster.health_news, publish=False, actor=editor)
    client.force_login(editor)
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]),
                           edit_form_data(article, go_live_at=past))
    assert response.status_code == 200
    assert "定时发布时间不能早于当前时间" in response.content.decode()
    article.refresh_from_db()
    assert article.go_live_at is None
    assert article.revisions.count() == 1, "nothing half-saved"


def test_admin_form_refuses_expiry_before_publication(cluster, client):
    editor = cluster.user("health", Role.REVIEWER)
    article = make_article(column=cluster.health_news, publish=False, actor=editor)
    client.force_login(editor)
    start = timezone.localtime() + timedelta(days=2)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), edit_form_data(
        article, go_live_at=start.strftime("%Y-%m-%d %H:%M"),
        expire_at=(start - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")))
    assert response.status_code == 200
    assert "下线时间必须晚于定时发布时间" in response.content.decode()


def schedule(article, *, at):
    article.go_live_at = at
    revision = article.save_revision()
    revision.publish()
    return revision


def run_publishing_job_in(hours: int):
    with time_machine.travel(timezone.now() + timedelta(hours=hours), tick=False):
        call_command("publish_due_pages", stdout=io.StringIO(), stderr=io.StringIO())


def test_scheduled_article_goes_live_when_due(cluster):
    article = make_article(column=cluster.health_news, publish=False)
    revision = schedule(article, at=timezone.now() + timedelta(hours=2))
    assert not ArticlePage.objects.get(pk=article.pk).live
    run_publishing_job_in(1)
    assert not ArticlePage.objects.get(pk=article.pk).live
    run_publishing_job_in(3)
    assert ArticlePage.objects.get(pk=article.pk).live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


def test_blocked_revision_is_taken_off_schedule_and_others_still_publish(cluster):
    doomed = make_article(column=cluster.health_news, publish=False, title="关于某某理财平台的说明",
                          body="<p>某某理财平台年化收益稳赚不赔。</p>")
    fine = make_article(column=cluster.health_news, publish=False, title="冬季流感防治提示")
    doomed_revision = schedule(doomed, at=timezone.now() + timedelta(hours=1))
    schedule(fine, at=timezone.now() + timedelta(hours=1))
    # The lexicon grows after approval: the term now blocks publication.
    add_lexicon_entry(term="稳赚不赔", category=LexiconCategory.ILLEGAL_FUNDRAISING,
                      severity=Severity.BLOCKING)
    run_publishing_job_in(2)
    assert not ArticlePage.objects.get(pk=doomed.pk).live
    assert ArticlePage.objects.get(pk=fine.pk).live
    doomed_revision.refresh_from_db()
    assert doomed_revision.approved_go_live_at is None
    event = AuditEvent.objects.get(action="publishing.schedule.blocked")
    assert event.target_id == str(doomed.pk)
    assert "稳赚不赔" in " ".join(event.data["reasons"])


def test_direct_publication_of_blocked_content_is_refused(cluster):
    article = make_article(column=cluster.health_news, publish=False,
                           body="<p>本文件为绝密★启用前材料。</p>")
    with pytest.raises(PublicationBlocked):
        article.get_latest_revision().publish()
    assert not ArticlePage.objects.get(pk=article.pk).live
