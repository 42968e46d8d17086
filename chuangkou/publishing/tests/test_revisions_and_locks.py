"""Revisions with compare and roll-back, and locking while someone edits (Wagtail's engine,
under our roles)."""

from django.urls import reverse

from chuangkou.organizations.choices import Role
from chuangkou.sitecluster.models import ArticlePage
from chuangkou.sitecluster.tests.factories import make_article

from .test_schedule import edit_form_data


def two_versions(cluster):
    article = make_article(column=cluster.health_news, title="冬季流感防治提示",
                           actor=cluster.user("health", Role.REVIEWER))
    first = article.live_revision
    article.title = "冬季流感和新冠防治提示"
    second = article.save_revision(user=cluster.user("health", Role.EDITOR))
    second.publish(user=cluster.user("health", Role.REVIEWER))
    return ArticlePage.objects.get(pk=article.pk), first, second


def test_editor_compares_two_revisions(cluster, client):
    article, first, second = two_versions(cluster)
    client.force_login(cluster.user("health", Role.EDITOR))
    response = client.get(reverse("wagtailadmin_pages:revisions_compare",
                                  args=[article.pk, first.pk, second.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "冬季流感防治提示" in html and "冬季流感和新冠防治提示" in html


def test_roll_back_to_an_earlier_revision_publishes_its_content(cluster, client):
    article, first, _second = two_versions(cluster)
    client.force_login(cluster.user("health", Role.REVIEWER))
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=[article.pk, first.pk])
    form = client.get(revert_url)
    assert form.status_code == 200
    assert "冬季流感防治提示" in form.content.decode()
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), edit_form_data(
        article, title="冬季流感防治提示", revision=str(first.pk),
        **{"action-publish": "action-publish"}))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "冬季流感防治提示"
    assert article.live


def test_other_bodies_cannot_see_revisions(cluster, client):
    article, first, second = two_versions(cluster)
    client.force_login(cluster.user("education", Role.EDITOR))
    response = client.get(reverse("wagtailadmin_pages:revisions_compare",
                                  args=[article.pk, first.pk, second.pk]))
    assert response.status_code in (302, 403)


def test_locked_page_cannot_be_saved_by_another_editor(cluster, client):
    article, _first, _second = two_versions(cluster)
    owner = cluster.user("health", Role.EDITOR)
    client.force_login(owner)
    assert client.post(reverse("wagtailadmin_pages:lock", args=[article.pk])).status_code == 302
    article.refresh_from_db()
    assert article.locked and article.locked_by == owner

    client.force_login(cluster.user("health", Role.REVIEWER))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]),
                           edit_form_data(article, title="他人修改的标题"), follow=True)
    assert "他人修改的标题" not in ArticlePage.objects.get(pk=article.pk).get_latest_revision().content["title"]
    assert response.status_code == 200


def test_contributor_cannot_unlock_someone_elses_lock(cluster, client):
    article, _first, _second = two_versions(cluster)
    client.force_login(cluster.user("health", Role.EDITOR))
    client.post(reverse("wagtailadmin_pages:lock", args=[article.pk]))
    client.force_login(cluster.user("health", Role.CONTRIBUTOR))
    client.post(reverse("wagtailadmin_pages:unlock", args=[article.pk]))
    article.refresh_from_db()
    assert article.locked
