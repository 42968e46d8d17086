from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, Site

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.sitecluster import actions
from chuangkou.sitecluster.choices import ColumnKind, SubmissionStatus
from chuangkou.sitecluster.exceptions import (
    ArticleInvalid,
    ColumnInvalid,
    SiteInvalid,
    SubmissionRefused,
)
from chuangkou.sitecluster.models import ArticleSubmission, ClusterSite
from chuangkou.sitecluster.queries import column_articles, site_for_page
from chuangkou.sitecluster.tests.factories import make_article, make_column, make_site


def site_fields(cluster, **overrides):
    fields = dict(owner_body=cluster.health, name="示例市卫健委第二网站", slug="wjw2",
                  identification_code="3301000099", sponsor="示例市卫生健康委员会")
    fields.update(overrides)
    return fields


@pytest.mark.django_db
def test_invalid_site_identification_code_is_refused_and_no_page_is_created(cluster):
    pages_before = Page.objects.count()
    with pytest.raises(SiteInvalid) as error:
        actions.create_cluster_site(**site_fields(cluster, identification_code="33010099"))
    assert "identification_code" in error.value.errors
    assert "网站标识码" in error.value.errors["identification_code"][0]
    assert Page.objects.count() == pages_before


@pytest.mark.django_db
def test_duplicate_hostname_is_refused_naming_the_field_and_nothing_is_saved(cluster):
    sites_before, pages_before = ClusterSite.objects.count(), Page.objects.count()
    with pytest.raises(SiteInvalid) as error:
        actions.create_cluster_site(**site_fields(cluster, hostname="Dongcheng.localhost"))
    assert "hostname" in error.value.errors
    assert "独立域名" in error.value.errors["hostname"][0]
    assert (ClusterSite.objects.count(), Page.objects.count()) == (sites_before, pages_before)


@pytest.mark.django_db
def test_changing_a_hostname_to_one_in_use_is_refused_and_keeps_the_old_one(cluster):
    with pytest.raises(SiteInvalid) as error:
        actions.update_site_identity(site=cluster.education_site, hostname="dongcheng.localhost")
    assert "hostname" in error.value.errors
    cluster.education_site.refresh_from_db()
    assert cluster.education_site.hostname is None


@pytest.mark.django_db
def test_duplicate_identification_code_is_refused(cluster):
    with pytest.raises(SiteInvalid) as error:
        actions.create_cluster_site(**site_fields(cluster, identification_code="3301000002"))
    assert "identification_code" in error.value.errors


@pytest.mark.django_db
def test_site_on_its_own_hostname_is_served_there(client, cluster):
    response = client.get("/", HTTP_HOST="dongcheng.localhost")
    assert response.status_code == 200
    assert '<meta name="SiteIDCode" content="3301020001">' in response.content.decode()
    assert Site.objects.get(hostname="dongcheng.localhost").root_page_id == \
        cluster.district_site.home_page_id


@pytest.mark.django_db
def test_site_without_hostname_is_served_as_a_path_under_the_portal(client, cluster):
    assert cluster.education_site.home_page.get_url_parts()[2] == "/jyj/"
    response = client.get("/jyj/news/")
    assert response.status_code == 200
    assert "教育动态" in response.content.decode()


@pytest.mark.django_db
def test_moving_a_site_to_its_own_hostname_and_back(client, cluster):
    actions.update_site_identity(site=cluster.education_site, hostname="jyj.localhost")
    assert client.get("/", HTTP_HOST="jyj.localhost").context["page"].pk == \
        cluster.education_site.home_page_id
    actions.update_site_identity(site=cluster.education_site, hostname="")
    assert not Site.objects.filter(hostname="jyj.localhost").exists()
    assert client.get("/", HTTP_HOST="jyj.localhost").context["page"].pk == \
        cluster.portal.home_page_id


@pytest.mark.django_db
def test_identity_change_appears_in_every_page_footer_and_is_audited(client, cluster):
    actions.update_site_identity(site=cluster.education_site, icp_number="示例ICP备12345678号",
                                 actor=cluster.user("education", Role.SITE_ADMINISTRATOR))
    html = client.get(cluster.education_article.url).content.decode()
    assert "示例ICP备12345678号" in html
    event = AuditEvent.objects.filter(action="site.identity_updated").latest("pk")
    assert event.data["after"] == {"icp_number": "示例ICP备12345678号"}
    assert event.actor.username == "education-site_administrator"


@pytest.mark.django_db
def test_only_one_portal(cluster):
    with pytest.raises(SiteInvalid) as error:
        actions.create_cluster_site(**site_fields(cluster, is_portal=True))
    assert error.value.errors


@pytest.mark.django_db
def test_site_for_page_finds_the_nearest_site(cluster):
    assert site_for_page(cluster.education_article) == cluster.education_site
    assert site_for_page(cluster.portal_news) == cluster.portal


@pytest.mark.django_db
def test_column_cannot_be_created_under_an_article(cluster):
    with pytest.raises(ColumnInvalid) as error:
        actions.create_column(parent=cluster.education_article, title="错误栏目")
    assert "parent" in error.value.errors


@pytest.mark.django_db
def test_column_default_update_interval_follows_the_inspection_indicators(cluster):
    notices = make_column(parent=cluster.portal.home_page, kind=ColumnKind.NOTICE)
    assert cluster.portal_news.expected_update_interval_days == 14
    assert notices.expected_update_interval_days == 183


@pytest.mark.django_db
def test_article_needs_a_title_and_a_body(cluster):
    with pytest.raises(ArticleInvalid) as error:
        actions.create_article(column=cluster.education_news, title=" ", body="")
    assert set(error.value.errors) == {"title", "body"}


@pytest.mark.django_db
def test_column_lists_newest_first_and_leaves_out_drafts(cluster):
    now = timezone.now()
    older = make_article(column=cluster.education_news, title="较早", publication_date=now - timedelta(days=3))
    newer = make_article(column=cluster.education_news, title="较新", publication_date=now + timedelta(minutes=1))
    draft = make_article(column=cluster.education_news, title="草稿", publish=False)
    listed = list(column_articles(cluster.education_news))
    assert listed.index(newer) < listed.index(older)
    assert draft not in listed


def submit(cluster, article=None):
    return actions.submit_article_to_column(
        article=article or cluster.education_article, target_column=cluster.portal_news,
        actor=cluster.user("education", Role.EDITOR),
    )


@pytest.mark.django_db
def test_adopted_submission_appears_in_the_portal_column_without_a_copy(cluster):
    pages_before = Page.objects.count()
    submission = submit(cluster)
    assert cluster.education_article not in column_articles(cluster.portal_news)
    actions.adopt_submission(submission=submission, actor=cluster.user("city", Role.EDITOR))
    assert cluster.education_article in column_articles(cluster.portal_news)
    assert Page.objects.count() == pages_before
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ADOPTED
    assert submission.submitting_body == cluster.education


@pytest.mark.django_db
def test_declined_submission_keeps_its_reason_and_stays_out_of_the_column(cluster):
    submission = submit(cluster)
    actions.decline_submission(submission=submission, reason="内容与本栏目定位不符",
                               actor=cluster.user("city", Role.EDITOR))
    submission.refresh_from_db()
    assert submission.decline_reason == "内容与本栏目定位不符"
    assert cluster.education_article not in column_articles(cluster.portal_news)


@pytest.mark.django_db
def test_decline_without_a_reason_is_refused(cluster):
    submission = submit(cluster)
    with pytest.raises(SubmissionRefused) as error:
        actions.decline_submission(submission=submission, reason="  ",
                                   actor=cluster.user("city", Role.EDITOR))
    assert "reason" in error.value.errors


@pytest.mark.django_db
def test_same_article_cannot_be_submitted_twice_to_one_column(cluster):
    submit(cluster)
    with pytest.raises(SubmissionRefused) as error:
        submit(cluster)
    assert "target_column" in error.value.errors
    assert ArticleSubmission.objects.count() == 1


@pytest.mark.django_db
def test_staff_of_another_body_cannot_submit_or_adopt(cluster):
    with pytest.raises(SubmissionRefused):
        actions.submit_article_to_column(article=cluster.education_article,
                                         target_column=cluster.portal_news,
                                         actor=cluster.user("health", Role.EDITOR))
    submission = submit(cluster)
    with pytest.raises(SubmissionRefused):
        actions.adopt_submission(submission=submission, actor=cluster.user("health", Role.EDITOR))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING


@pytest.mark.django_db
def test_decided_submission_cannot_be_decided_again(cluster):
    submission = submit(cluster)
    portal_editor = cluster.user("city", Role.EDITOR)
    actions.adopt_submission(submission=submission, actor=portal_editor)
    with pytest.raises(SubmissionRefused) as error:
        actions.decline_submission(submission=submission, reason="重复", actor=portal_editor)
    assert "status" in error.value.errors


@pytest.mark.django_db
def test_drafts_and_own_site_columns_cannot_be_submitted(cluster):
    draft = make_article(column=cluster.education_news, publish=False)
    with pytest.raises(SubmissionRefused) as error:
        submit(cluster, article=draft)
    assert "article" in error.value.errors
    own_column = make_column(parent=cluster.education_site.home_page,
                             responsible_body=cluster.education)
    with pytest.raises(SubmissionRefused) as error:
        actions.submit_article_to_column(article=cluster.education_article,
                                         target_column=own_column,
                                         actor=cluster.user("education", Role.EDITOR))
    assert "target_column" in error.value.errors


@pytest.mark.django_db
def test_each_submission_decision_is_audited(cluster):
    submission = submit(cluster)
    actions.adopt_submission(submission=submission, actor=cluster.user("city", Role.REVIEWER))
    actions_logged = set(AuditEvent.objects.filter(target_id=str(submission.pk))
                         .values_list("action", flat=True))
    assert {"submission.submitted", "submission.adopted"} <= actions_logged


@pytest.mark.django_db
def test_new_site_goes_under_the_portal_by_default(cluster):
    site = make_site(owner_body=cluster.health, slug="wjw-zt")
    assert site.home_page.get_parent().pk == cluster.portal.home_page_id


@pytest.mark.django_db
def test_portal_staff_manage_portal_columns_but_not_department_sites(cluster):
    portal_editor = cluster.user("city", Role.EDITOR)
    assert cluster.portal_news.permissions_for_user(portal_editor).can_edit()
    assert not cluster.education_article.permissions_for_user(portal_editor).can_edit()
    assert not cluster.education_site.home_page.permissions_for_user(portal_editor).can_edit()
    late_column = make_column(parent=cluster.portal.home_page, kind=ColumnKind.NOTICE)
    portal_editor = type(portal_editor).objects.get(pk=portal_editor.pk)  # drop cached permissions
    assert late_column.permissions_for_user(portal_editor).can_edit()


@pytest.mark.django_db
def test_outer_site_staff_do_not_reach_a_site_nested_in_it(cluster):
    street = make_site(owner_body=cluster.health, parent_page=cluster.district_site.home_page,
                       slug="donghu", name="东湖街道")
    district_editor = cluster.user("dongcheng", Role.EDITOR)
    assert cluster.district_news.permissions_for_user(district_editor).can_edit()
    assert not street.home_page.permissions_for_user(district_editor).can_edit()
    assert street.home_page.permissions_for_user(cluster.user("health", Role.EDITOR)).can_edit()
