"""The admin screens of the site cluster: 站点设置 and 信息报送."""

from datetime import datetime

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.sitecluster.choices import SubmissionStatus
from chuangkou.sitecluster.models import ArticleSubmission, ClusterSite, SiteHomePage
from chuangkou.sitecluster.wagtail_hooks import page_listing_submit_button

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("wagtailadmin_home")


def identity_form(site, **overrides):
    data = {
        "name": site.name, "identification_code": site.identification_code,
        "sponsor": site.sponsor, "organizer": site.organizer, "icp_number": site.icp_number,
        "public_security_number": site.public_security_number,
        "contact_phone": site.contact_phone, "contact_email": site.contact_email,
        "contact_address": site.contact_address, "hostname": site.hostname or "",
    }
    data.update(overrides)
    return data


def assert_permission_denied(response):
    assert response.status_code == 302 and response.url == DASHBOARD, response


def site_values(site):
    return ClusterSite.objects.filter(pk=site.pk).values().get()


# 站点设置


def test_site_administrator_lists_only_the_sites_of_their_bodies(client, cluster):
    client.force_login(cluster.user("education", Role.SITE_ADMINISTRATOR))
    response = client.get(reverse("cluster_sites:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert cluster.education_site.identification_code in html
    for other in (cluster.portal, cluster.health_site, cluster.district_site):
        assert other.identification_code not in html
    assert reverse("cluster_sites:add") not in html


def test_system_administrator_lists_every_site(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    html = client.get(reverse("cluster_sites:index")).content.decode()
    for site in (cluster.portal, cluster.education_site, cluster.health_site,
                 cluster.district_site):
        assert site.identification_code in html
    assert reverse("cluster_sites:add") in html


def test_editing_site_identity_goes_through_the_action_and_is_audited(client, cluster):
    actor = cluster.user("education", Role.SITE_ADMINISTRATOR)
    client.force_login(actor)
    url = reverse("cluster_sites:edit", args=[cluster.education_site.pk])
    response = client.post(url, identity_form(cluster.education_site,
                                              contact_phone="0571-88886666",
                                              hostname="JYJ.Example.gov.cn"),
                           REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302
    site = ClusterSite.objects.get(pk=cluster.education_site.pk)
    assert (site.contact_phone, site.hostname) == ("0571-88886666", "jyj.example.gov.cn")
    assert site.wagtail_site is not None and site.wagtail_site.hostname == "jyj.example.gov.cn"
    event = AuditEvent.objects.get(action="site.identity_updated")
    assert (event.actor, event.actor_label) == (actor, actor.username)
    assert event.client_address == "10.20.30.40"
    assert event.target_id == str(site.pk)
    assert set(event.data["after"]) == {"contact_phone", "hostname"}


def test_invalid_identification_code_shows_on_its_field_and_saves_nothing(client, cluster):
    client.force_login(cluster.user("education", Role.SITE_ADMINISTRATOR))
    before = site_values(cluster.education_site)
    response = client.post(reverse("cluster_sites:edit", args=[cluster.education_site.pk]),
                           identity_form(cluster.education_site, identification_code="12345",
                                         contact_phone="0571-1"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["identification_code"]
    assert "网站标识码应为10位数字" in response.content.decode()
    assert site_values(cluster.education_site) == before
    assert not AuditEvent.objects.filter(action="site.identity_updated").exists()


def test_a_duplicate_hostname_shows_on_the_hostname_field_and_saves_nothing(client, cluster):
    client.force_login(cluster.user("education", Role.SITE_ADMINISTRATOR))
    before = site_values(cluster.education_site)
    response = client.post(reverse("cluster_sites:edit", args=[cluster.education_site.pk]),
                           identity_form(cluster.education_site,
                                         hostname=cluster.district_site.hostname,
                                         contact_phone="0571-2"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["hostname"]
    assert "独立域名已被其他站点使用" in errors["hostname"][0]
    assert site_values(cluster.education_site) == before


def test_a_site_administrator_cannot_open_or_change_another_bodys_site(client, cluster):
    client.force_login(cluster.user("health", Role.SITE_ADMINISTRATOR))
    url = reverse("cluster_sites:edit", args=[cluster.education_site.pk])
    before = site_values(cluster.education_site)
    for response in (client.get(url),
                     client.post(url, identity_form(cluster.education_site, name="被篡改"))):
        assert_permission_denied(response)
        assert cluster.education_site.identification_code not in response.content.decode()
    assert site_values(cluster.education_site) == before
    assert client.get(reverse("cluster_sites:edit",
                              args=[cluster.health_site.pk])).status_code == 200


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER, Role.AUDITOR])
def test_roles_without_site_settings_are_refused(client, cluster, role):
    client.force_login(cluster.user("education", role))
    assert_permission_denied(client.get(reverse("cluster_sites:index")))
    assert_permission_denied(client.get(reverse("cluster_sites:edit",
                                                args=[cluster.education_site.pk])))


def test_only_system_administrators_create_sites(client, cluster):
    data = {
        "owner_body": cluster.health.pk, "name": "示例市卫健委健康科普网", "slug": "jiankang",
        "identification_code": "3301000009", "sponsor": "示例市卫生健康委员会",
        "parent_page": "", "introduction": "健康科普。",
    }
    client.force_login(cluster.user("health", Role.SITE_ADMINISTRATOR))
    assert_permission_denied(client.post(reverse("cluster_sites:add"), data))
    assert not ClusterSite.objects.filter(identification_code="3301000009").exists()

    actor = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    client.force_login(actor)
    response = client.post(reverse("cluster_sites:add"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    site = ClusterSite.objects.get(identification_code="3301000009")
    assert site.owner_body == cluster.health
    home = site.home_page.specific
    assert isinstance(home, SiteHomePage) and home.get_parent().pk == cluster.portal.home_page_id
    assert AuditEvent.objects.filter(action="site.created", actor=actor).exists()


def test_creating_a_site_with_a_taken_slug_saves_nothing(client, cluster):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    pages_before = SiteHomePage.objects.count()
    response = client.post(reverse("cluster_sites:add"), {
        "owner_body": cluster.education.pk, "name": "重复", "slug": "jyj",
        "identification_code": "3301000010", "sponsor": "示例市教育局",
    })
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert SiteHomePage.objects.count() == pages_before
    assert not ClusterSite.objects.filter(identification_code="3301000010").exists()


# 信息报送


def submit_url(page):
    return reverse("sitecluster_submit_article", args=[page.pk])


def menu_names(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    names = set()
    for item in admin_menu.menu_items_for_request(request):
        names.add(item.name)
        if hasattr(item, "menu"):
            names |= {sub.name for sub in item.menu.menu_items_for_request(request)}
    return names


def test_the_submit_button_shows_on_live_articles_for_those_who_may_submit(client, cluster):
    editor = cluster.user("education", Role.EDITOR)
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit",
                              args=[cluster.education_article.pk])).content.decode()
    assert submit_url(cluster.education_article) in html
    html = client.get(reverse("wagtailadmin_pages:edit",
                              args=[cluster.education_news.pk])).content.decode()
    assert "/admin/submissions/submit/" not in html
    assert list(page_listing_submit_button(cluster.education_article, editor))
    assert not list(page_listing_submit_button(
        cluster.education_article, cluster.user("education", Role.CONTRIBUTOR)))
    assert not list(page_listing_submit_button(
        cluster.education_article, cluster.user("health", Role.EDITOR)))


def test_the_submit_form_offers_only_columns_of_other_sites(client, cluster):
    client.force_login(cluster.user("education", Role.EDITOR))
    response = client.get(submit_url(cluster.education_article))
    assert response.status_code == 200
    choices = set(response.context["form"].fields["target_column"].queryset)
    assert {cluster.portal_news, cluster.health_news} <= choices
    assert cluster.education_news not in choices
    response = client.post(submit_url(cluster.education_article),
                           {"target_column": cluster.education_news.pk})
    assert response.status_code == 200
    assert "target_column" in response.context["form"].errors
    assert not ArticleSubmission.objects.exists()


def test_submitting_adopting_and_the_bodys_list(client, cluster):
    editor = cluster.user("education", Role.EDITOR)
    client.force_login(editor)
    response = client.post(submit_url(cluster.education_article),
                           {"target_column": cluster.portal_news.pk})
    assert response.status_code == 302 and response.url == reverse("sitecluster_own_submissions")
    submission = ArticleSubmission.objects.get()
    assert (submission.submitting_body, submission.submitted_by) == (cluster.education, editor)
    response = client.post(submit_url(cluster.education_article),
                           {"target_column": cluster.portal_news.pk})
    assert response.status_code == 200
    assert "已报送到该栏目" in response.context["form"].errors["target_column"][0]

    html = client.get(reverse("sitecluster_own_submissions")).content.decode()
    assert cluster.education_article.title in html and "待采用" in html

    client.force_login(cluster.user("health", Role.EDITOR))
    html = client.get(reverse("sitecluster_submission_inbox")).content.decode()
    assert cluster.education_article.title not in html
    html = client.get(reverse("sitecluster_own_submissions")).content.decode()
    assert cluster.education_article.title not in html

    portal_editor = cluster.user("city", Role.EDITOR)
    client.force_login(portal_editor)
    html = client.get(reverse("sitecluster_submission_inbox")).content.decode()
    assert cluster.education_article.title in html
    adopt_url = reverse("sitecluster_adopt_submission", args=[submission.pk])
    assert client.get(adopt_url).status_code == 405
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    assert client.post(adopt_url).status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.decided_by) == (SubmissionStatus.ADOPTED, portal_editor)
    assert AuditEvent.objects.filter(action="submission.adopted", actor=portal_editor).exists()
    assert client.post(adopt_url).status_code == 302
    assert ArticleSubmission.objects.get().status == SubmissionStatus.ADOPTED


def test_declining_needs_a_reason(client, cluster):
    submission = ArticleSubmission.objects.create(
        article=cluster.education_article, target_column=cluster.portal_news,
        submitting_body=cluster.education, submitted_by=cluster.user("education", Role.EDITOR))
    client.force_login(cluster.user("city", Role.REVIEWER))
    url = reverse("sitecluster_decline_submission", args=[submission.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
    assert client.post(url, {"reason": "与门户栏目定位不符。"}).status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.decline_reason) == (SubmissionStatus.DECLINED,
                                                              "与门户栏目定位不符。")

    client.force_login(cluster.user("education", Role.EDITOR))
    html = client.get(reverse("sitecluster_own_submissions")).content.decode()
    assert "与门户栏目定位不符。" in html and "未采用" in html


def test_another_bodys_editor_cannot_decide(client, cluster):
    submission = ArticleSubmission.objects.create(
        article=cluster.education_article, target_column=cluster.portal_news,
        submitting_body=cluster.education)
    client.force_login(cluster.user("health", Role.EDITOR))
    for url in (reverse("sitecluster_adopt_submission", args=[submission.pk]),
                reverse("sitecluster_decline_submission", args=[submission.pk])):
        response = client.post(url, {"reason": "x"})
        assert_permission_denied(response)
    assert_permission_denied(client.get(reverse("sitecluster_decline_submission",
                                                args=[submission.pk])))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING


def test_adoption_report_by_body_and_month(client, cluster):
    march = timezone.make_aware(datetime(2026, 3, 15, 10))
    for column, status in ((cluster.portal_news, SubmissionStatus.ADOPTED),
                           (cluster.health_news, SubmissionStatus.PENDING)):
        ArticleSubmission.objects.create(
            article=cluster.education_article, target_column=column,
            submitting_body=cluster.education, submitted_at=march, status=status)
    client.force_login(cluster.user("education", Role.REVIEWER))
    response = client.get(reverse("sitecluster_adoption_report"), {"year": 2026, "month": 3})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row["body"], row["month"], row["submitted"], row["adopted"]) for row in rows] == [
        (cluster.education.name, 3, 2, 1)]
    assert "50%" in response.content.decode()
    response = client.get(reverse("sitecluster_adoption_report"), {"year": 2026, "month": 4})
    assert response.context["rows"] == []
    response = client.get(reverse("sitecluster_adoption_report"), {"year": "abc"})
    assert response.status_code == 200 and "year" in response.context["form"].errors


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.EDITOR, Role.AUDITOR])
def test_the_report_is_refused_without_the_view_permission(client, cluster, role):
    client.force_login(cluster.user("education", role))
    assert_permission_denied(client.get(reverse("sitecluster_adoption_report")))


def test_submission_menus_follow_permissions(cluster):
    assert not {"submissions", "submission-inbox"} & menu_names(
        cluster.user("education", Role.CONTRIBUTOR))
    editor_menu = menu_names(cluster.user("education", Role.EDITOR))
    assert {"submissions", "submission-inbox", "own-submissions"} <= editor_menu
    assert "adoption-report" not in editor_menu
    assert "adoption-report" in menu_names(cluster.user("education", Role.REVIEWER))
    auditor_menu = menu_names(cluster.user("education", Role.AUDITOR))
    assert "submissions" not in auditor_menu and "cluster-sites" not in auditor_menu
    assert "cluster-sites" in menu_names(cluster.user("education", Role.SITE_ADMINISTRATOR))


def test_contributor_cannot_open_the_submit_form_or_inbox(client, cluster):
    client.force_login(cluster.user("education", Role.CONTRIBUTOR))
    assert_permission_denied(client.get(submit_url(cluster.education_article)))
    assert_permission_denied(client.get(reverse("sitecluster_submission_inbox")))
    assert_permission_denied(client.post(submit_url(cluster.education_article),
                                         {"target_column": cluster.portal_news.pk}))
    assert not ArticleSubmission.objects.exists()


def test_adopting_without_the_csrf_token_is_refused(cluster):
    submission = ArticleSubmission.objects.create(
        article=cluster.education_article, target_column=cluster.portal_news,
        submitting_body=cluster.education)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cluster.user("city", Role.EDITOR))
    inbox = client.get(reverse("sitecluster_submission_inbox")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in inbox
    response = client.post(reverse("sitecluster_adopt_submission", args=[submission.pk]))
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING
