"""Admin screens of the catalogue: who may reach them, the record form, the 第二十六条
dashboard and the homepage panel."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from chuangkou.disclosure.actions.catalogue import add_catalogue_category
from chuangkou.disclosure.choices import DisclosureAttribute
from chuangkou.disclosure.models import DisclosureRecord
from chuangkou.disclosure.tests.factories_catalogue import make_document, register, statutory
from chuangkou.organizations.choices import Role

pytestmark = pytest.mark.django_db

SECRET_TITLE = "示例市教育局关于做好2026年义务教育招生入学工作的通知"
KEEPERS = (Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD, Role.EDITOR, Role.REVIEWER,
           Role.SITE_ADMINISTRATOR)
CATEGORY_KEEPERS = (Role.DISCLOSURE_OFFICER, Role.DISCLOSURE_OFFICE_HEAD, Role.SITE_ADMINISTRATOR)


@pytest.fixture
def education_objects(cluster):
    cluster.education_article.title = SECRET_TITLE
    cluster.education_article.save_revision().publish()
    record = register(page=cluster.education_article, body=cluster.education,
                      summary="义务教育招生办法")
    category = add_catalogue_category(body=cluster.education, name="教育收费专项",
                                      parent=statutory("fees"))
    return record, category


def routes(record, category):
    return {
        "record": reverse("disclosure_catalogue_record", args=[record.page_id]),
        "validity": reverse("disclosure_catalogue_validity", args=[record.pk]),
        "category_edit": reverse("disclosure_catalogue_category_edit", args=[category.pk]),
        "records": reverse("disclosure_catalogue_records"),
        "pending": reverse("disclosure_catalogue_pending"),
        "categories": reverse("disclosure_catalogue_categories"),
        "category_add": reverse("disclosure_catalogue_category_add"),
    }


OBJECT_ROUTES = ("record", "validity", "category_edit")


def refused(response) -> bool:
    return response.status_code in (302, 403, 404)


def test_anonymous_users_are_sent_to_sign_in_on_every_route(client, education_objects):
    for name, url in routes(*education_objects).items():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], name


# The system administrator runs the whole cluster, so is not "another body's" staff.
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SYSTEM_ADMINISTRATOR])
def test_staff_of_another_body_never_see_the_objects(client, cluster, education_objects, role):
    client.force_login(cluster.user("health", role))
    for name, url in routes(*education_objects).items():
        response = client.get(url)
        if name in OBJECT_ROUTES:
            assert refused(response), (name, response.status_code)
        else:
            assert refused(response) or (SECRET_TITLE not in response.content.decode()
                                         and "教育收费专项" not in response.content.decode()), name


@pytest.mark.parametrize("body", ["city", "education"])
def test_auditors_are_refused_everywhere(client, cluster, education_objects, body):
    client.force_login(cluster.user(body, Role.AUDITOR))
    for name, url in routes(*education_objects).items():
        assert refused(client.get(url)), name


@pytest.mark.parametrize("role", KEEPERS)
def test_record_keepers_of_the_body_reach_the_record_screens(client, cluster, education_objects,
                                                            role):
    client.force_login(cluster.user("education", role))
    urls = routes(*education_objects)
    for name in ("record", "validity", "records", "pending"):
        response = client.get(urls[name])
        assert response.status_code == 200, name
    assert SECRET_TITLE in client.get(urls["records"]).content.decode()


@pytest.mark.parametrize("role", CATEGORY_KEEPERS)
def test_category_keepers_of_the_body_reach_the_category_screens(client, cluster,
                                                                 education_objects, role):
    client.force_login(cluster.user("education", role))
    urls = routes(*education_objects)
    for name in ("categories", "category_add", "category_edit"):
        assert client.get(urls[name]).status_code == 200, name
    assert "教育收费专项" in client.get(urls["categories"]).content.decode()


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.CONFIDENTIALITY_REVIEWER])
def test_other_roles_of_the_body_are_refused(client, cluster, education_objects, role):
    client.force_login(cluster.user("education", role))
    urls = routes(*education_objects)
    for name in ("record", "validity", "category_edit", "categories"):
        assert refused(client.get(urls[name])), name


def test_system_administrator_reaches_every_route(client, cluster, education_objects):
    client.force_login(cluster.user("city", Role.SYSTEM_ADMINISTRATOR))
    for name, url in routes(*education_objects).items():
        assert client.get(url).status_code == 200, name


def test_the_edit_view_offers_the_catalogue_button_to_disclosure_staff_and_editors(
        client, cluster):
    url = reverse("wagtailadmin_pages:edit", args=[cluster.education_article.pk])
    client.force_login(cluster.user("education", Role.EDITOR))
    assert "公开目录信息" in client.get(url).content.decode()
    client.force_login(cluster.user("health", Role.EDITOR))
    assert refused(client.get(url))


@time_machine.travel("2026-05-06 10:00 +0800", tick=False)
def test_disclosure_officer_registers_an_article_through_the_form(client, cluster):
    officer = cluster.user("education", Role.DISCLOSURE_OFFICER)
    client.force_login(officer)
    url = reverse("disclosure_catalogue_record", args=[cluster.education_article.pk])
    response = client.post(url, {
        "body": cluster.education.pk, "category": statutory("regulations").pk,
        "document_number": "示教发〔2026〕3号", "written_on": "2026-04-28",
        "formed_on": "2026-04-30", "theme": "science_education", "genre": "notice",
        "audience": "public", "attribute": "proactive", "withheld_reason": "",
        "method": "website", "summary": "部署秋季开学工作",
    })
    assert response.status_code == 302
    record = DisclosureRecord.objects.get(page=cluster.education_article)
    assert record.index_number == f"{cluster.education.credit_code}/2026-00001"
    assert record.title == cluster.education_article.title


def test_form_shows_rule_violations_as_field_errors(client, cluster):
    client.force_login(cluster.user("education", Role.DISCLOSURE_OFFICER))
    url = reverse("disclosure_catalogue_record", args=[cluster.education_article.pk])
    response = client.post(url, {
        "body": cluster.education.pk, "category": statutory("regulations").pk,
        "written_on": "2026-04-28", "formed_on": "2026-04-30", "theme": "science_education",
        "genre": "notice", "audience": "public", "attribute": "not_disclosed",
        "withheld_reason": "", "method": "website",
    })
    assert response.status_code == 200
    assert "必须说明理由" in response.content.decode()
    assert not DisclosureRecord.objects.exists()


def test_dashboard_lists_unpublished_proactive_documents_overdue_first(client, cluster):
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        soon = make_document(column=cluster.education_news, body=cluster.education,
                             publish=False, title="示例市教育局关于暑期安全工作的通知",
                             written_on=date(2026, 5, 28), formed_on=date(2026, 5, 28))
        overdue = make_document(column=cluster.education_news, body=cluster.education,
                                publish=False, title="示例市教育局关于春季学期工作的通知",
                                written_on=date(2026, 3, 2), formed_on=date(2026, 3, 2))
        make_document(column=cluster.education_news, body=cluster.education,
                      title="示例市教育局已经发布的通知")
        make_document(column=cluster.education_news, body=cluster.education, publish=False,
                      title="示例市教育局依申请公开的文件",
                      attribute=DisclosureAttribute.ON_REQUEST, withheld_reason="涉及第三方。")
        client.force_login(cluster.user("education", Role.DISCLOSURE_OFFICER))
        html = client.get(reverse("disclosure_catalogue_pending")).content.decode()
        assert html.index(overdue.title) < html.index(soon.title)
        assert "已发布的通知" not in html and "依申请公开的文件" not in html
        assert "已超期" in html
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "2 条主动公开信息尚未公开" in home and "其中 1 条" in home


def test_category_keeper_adds_a_sub_category_and_cannot_edit_statutory_ones(client, cluster):
    client.force_login(cluster.user("education", Role.DISCLOSURE_OFFICER))
    response = client.post(reverse("disclosure_catalogue_category_add"), {
        "body": cluster.education.pk, "parent": statutory("fees").pk, "name": "考试收费"})
    assert response.status_code == 302
    response = client.get(reverse("disclosure_catalogue_category_edit",
                                  args=[statutory("fees").pk]))
    assert refused(response)
