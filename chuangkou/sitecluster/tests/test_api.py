from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from rest_framework.test import APIClient
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import PageViewRestriction

from chuangkou.organizations.choices import Role
from chuangkou.sitecluster import actions
from chuangkou.sitecluster.choices import ColumnKind, SubmissionStatus
from chuangkou.sitecluster.models import ArticleAttachment, ArticleImage, ArticleSubmission
from chuangkou.sitecluster.tests.factories import make_article, make_column, make_site

SITES_LIST_QUERIES = 2
COLUMNS_LIST_QUERIES = 3
ARTICLES_LIST_QUERIES = 3
COLUMN_ARTICLES_QUERIES = 4
SUBMISSIONS = "/api/v1/submissions/"
ADOPTION_COUNTS = "/api/v1/submissions/adoption-counts/"


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def staff_client(cluster, body_slug: str, role: str = Role.EDITOR) -> APIClient:
    client = APIClient()
    client.force_login(cluster.user(body_slug, role))
    return client


def submit(client: APIClient, article, column):
    return client.post(SUBMISSIONS, {"article": article.pk, "target_column": column.pk},
                       format="json")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def get_within_queries(client: APIClient, url: str, limit: int, django_assert_max_num_queries):
    """GET ``url`` within ``limit`` queries, once Wagtail's cached site root paths are warm."""
    client.get(url)
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


def make_image(title: str) -> Image:
    buffer = BytesIO()
    PillowImage.new("RGB", (1600, 900), "#b22222").save(buffer, "PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="banner.png"))


# Sites


def test_sites_are_listed_portal_first_with_their_identity_and_home_url(api_client, cluster):
    sites = results(api_client.get("/api/v1/sites/"))

    assert sites[0]["identification_code"] == "3301000001"
    by_code = {site["identification_code"]: site for site in sites}
    assert set(by_code) == {"3301000001", "3301000002", "3301000003", "3301020001"}
    portal = by_code["3301000001"]
    assert portal["is_portal"] is True
    assert portal["name"] == "示例市人民政府门户网站"
    assert portal["sponsor"] == "示例市人民政府"
    assert portal["owner_body"] == "city"
    assert portal["url"] == "http://localhost/"
    assert by_code["3301000002"]["url"] == "http://localhost/jyj/"
    assert by_code["3301000002"]["is_portal"] is False
    assert by_code["3301020001"]["url"] == "http://dongcheng.localhost/"
    assert by_code["3301020001"]["hostname"] == "dongcheng.localhost"


def test_a_site_is_found_by_its_identification_code_with_every_identity_field(api_client, cluster):
    actions.update_site_identity(
        site=cluster.education_site, icp_number="浙ICP备12345678号",
        public_security_number="浙公网安备33010002000001号", contact_phone="0571-87000000",
        contact_email="jyj@example.gov.cn", contact_address="示例市解放路1号",
        organizer="示例市教育局办公室",
    )

    response = api_client.get("/api/v1/sites/3301000002/")

    assert response.status_code == 200
    assert response.json() == {
        "name": "示例市教育局", "identification_code": "3301000002", "is_portal": False,
        "sponsor": "示例市教育局", "organizer": "示例市教育局办公室",
        "icp_number": "浙ICP备12345678号", "public_security_number": "浙公网安备33010002000001号",
        "contact_phone": "0571-87000000", "contact_email": "jyj@example.gov.cn",
        "contact_address": "示例市解放路1号", "hostname": None, "owner_body": "education",
        "url": "http://localhost/jyj/",
    }


def test_an_unknown_identification_code_is_not_found(api_client, cluster):
    assert api_client.get("/api/v1/sites/3301009999/").status_code == 404


def test_listing_sites_takes_the_same_queries_however_many_there_are(
    api_client, cluster, django_assert_max_num_queries
):
    first = get_within_queries(api_client, "/api/v1/sites/", SITES_LIST_QUERIES,
                               django_assert_max_num_queries)
    assert first.json()["count"] == 4
    for number in range(5):
        make_site(owner_body=cluster.district, name=f"东城区第{number}街道",
                  slug=f"street-{number}", identification_code=f"330102{number + 10:04d}")

    response = get_within_queries(api_client, "/api/v1/sites/", SITES_LIST_QUERIES,
                                  django_assert_max_num_queries)
    assert response.json()["count"] == 9
    assert {site["owner_body"] for site in response.json()["results"]} >= {"dongcheng", "city"}


# Columns


def test_columns_are_listed_with_responsibility_and_their_site(api_client, cluster):
    columns = {column["id"]: column for column in results(api_client.get("/api/v1/columns/"))}

    assert set(columns) == {cluster.portal_news.pk, cluster.education_news.pk,
                            cluster.health_news.pk, cluster.district_news.pk}
    assert columns[cluster.portal_news.pk]["site"] == "3301000001"
    assert columns[cluster.education_news.pk]["site"] == "3301000002"
    assert columns[cluster.district_news.pk]["site"] == "3301020001"
    assert columns[cluster.education_news.pk]["url"] == "http://localhost/jyj/news/"
    assert columns[cluster.district_news.pk]["url"] == "http://dongcheng.localhost/news/"


def test_a_column_shows_its_kind_responsible_body_and_expected_update_interval(api_client, cluster):
    response = api_client.get(f"/api/v1/columns/{cluster.portal_news.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": cluster.portal_news.pk, "title": "政务动态", "kind": ColumnKind.NEWS,
        "kind_display": "动态要闻", "description": "", "keywords": "",
        "responsible_body": "city", "expected_update_interval_days": 14,
        "url": "http://localhost/news/", "site": "3301000001",
    }


def test_a_column_without_a_legal_update_interval_shows_null(api_client, cluster):
    topic = make_column(parent=cluster.portal.home_page, title="专题专栏", kind=ColumnKind.TOPIC,
                        description="重点工作专题", keywords="专题")

    column = api_client.get(f"/api/v1/columns/{topic.pk}/").json()

    assert column["expected_update_interval_days"] is None
    assert column["responsible_body"] is None
    assert (column["description"], column["keywords"]) == ("重点工作专题", "专题")


def test_columns_of_the_portal_exclude_those_of_the_sites_under_it(api_client, cluster):
    portal = results(api_client.get("/api/v1/columns/", {"site": "3301000001"}))
    education = results(api_client.get("/api/v1/columns/", {"site": "3301000002"}))

    assert [column["id"] for column in portal] == [cluster.portal_news.pk]
    assert [column["id"] for column in education] == [cluster.education_news.pk]


def test_columns_can_be_filtered_by_kind(api_client, cluster):
    notices = make_column(parent=cluster.education_site.home_page, title="通知公告",
                          kind=ColumnKind.NOTICE)

    found = results(api_client.get("/api/v1/columns/", {"kind": ColumnKind.NOTICE}))

    assert [column["id"] for column in found] == [notices.pk]
    assert found[0]["expected_update_interval_days"] == 183


def test_an_unpublished_column_is_not_found(api_client, cluster):
    cluster.district_news.unpublish()

    assert api_client.get(f"/api/v1/columns/{cluster.district_news.pk}/").status_code == 404
    listed = results(api_client.get("/api/v1/columns/"))
    assert cluster.district_news.pk not in {column["id"] for column in listed}


def test_an_unknown_column_filter_value_is_a_400_naming_the_parameter(api_client, cluster):
    for param, value in [("site", "3301009999"), ("kind", "gossip")]:
        response = api_client.get("/api/v1/columns/", {param: value})

        assert response.status_code == 400, (param, value)
        assert list(response.json()) == [param]


def test_listing_columns_takes_the_same_queries_however_many_there_are(
    api_client, cluster, django_assert_max_num_queries
):
    first = get_within_queries(api_client, "/api/v1/columns/", COLUMNS_LIST_QUERIES,
                               django_assert_max_num_queries)
    assert first.json()["count"] == 4
    for number in range(5):
        make_column(parent=cluster.health_site.home_page, title=f"卫健栏目{number}",
                    responsible_body=cluster.health)

    response = get_within_queries(api_client, "/api/v1/columns/", COLUMNS_LIST_QUERIES,
                                  django_assert_max_num_queries)
    assert response.json()["count"] == 9
    assert {column["site"] for column in response.json()["results"]} == {
        "3301000001", "3301000002", "3301000003", "3301020001"}


def test_a_columns_articles_are_listed_newest_first(api_client, cluster):
    older = make_article(column=cluster.education_news, title="较早的动态",
                         publication_date=timezone.now() - timezone.timedelta(days=3))
    newer = make_article(column=cluster.education_news, title="最新的动态",
                         publication_date=timezone.now() + timezone.timedelta(minutes=1))
    make_article(column=cluster.education_news, title="未发布的动态", publish=False)

    listed = results(api_client.get(f"/api/v1/columns/{cluster.education_news.pk}/articles/"))

    assert [article["id"] for article in listed] == [
        newer.pk, cluster.education_article.pk, older.pk]
    assert listed[0]["title"] == "最新的动态"
    assert listed[0]["column"] == cluster.education_news.pk
    assert listed[0]["site"] == "3301000002"
    assert listed[0]["url"] == f"http://localhost/jyj/news/{newer.slug}/"


def test_the_articles_of_an_unknown_column_are_not_found(api_client, cluster):
    assert api_client.get("/api/v1/columns/999999/articles/").status_code == 404


def test_listing_a_columns_articles_takes_the_same_queries_however_many_there_are(
    api_client, cluster, django_assert_max_num_queries
):
    url = f"/api/v1/columns/{cluster.portal_news.pk}/articles/"
    make_article(column=cluster.portal_news, title="门户要闻")
    first = get_within_queries(api_client, url, COLUMN_ARTICLES_QUERIES,
                               django_assert_max_num_queries)
    assert first.json()["count"] == 1

    editor, city_editor = cluster.user("education", "editor"), cluster.user("city", "editor")
    for number in range(4):
        make_article(column=cluster.portal_news, title=f"门户要闻{number}")
        article = make_article(column=cluster.education_news, title=f"教育动态{number}")
        submission = actions.submit_article_to_column(
            article=article, target_column=cluster.portal_news, actor=editor)
        actions.adopt_submission(submission=submission, actor=city_editor)

    response = get_within_queries(api_client, url, COLUMN_ARTICLES_QUERIES,
                                  django_assert_max_num_queries)
    assert response.json()["count"] == 9
    assert {article["site"] for article in response.json()["results"]} == {
        "3301000001", "3301000002"}


# Articles


def test_articles_are_listed_newest_first_without_drafts(api_client, cluster):
    make_article(column=cluster.education_news, title="尚未发布的草稿", publish=False)

    listed = results(api_client.get("/api/v1/articles/"))

    assert [article["id"] for article in listed] == [
        cluster.health_article.pk, cluster.education_article.pk]
    article = listed[1]
    assert article["title"] == "示例市教育局部署秋季开学工作"
    assert article["source"] == "示例市人民政府办公厅"
    assert article["column"] == cluster.education_news.pk
    assert article["site"] == "3301000002"
    assert article["url"] == f"http://localhost/jyj/news/{cluster.education_article.slug}/"
    assert "body" not in article


def test_articles_can_be_filtered_by_site_column_and_year(api_client, cluster):
    last_year = timezone.now().year - 1
    old = make_article(column=cluster.health_news, title="去年的健康提示",
                       publication_date=timezone.now().replace(year=last_year))

    def ids(**params) -> list[int]:
        return [article["id"] for article in results(api_client.get("/api/v1/articles/", params))]

    assert ids(site="3301000002") == [cluster.education_article.pk]
    assert ids(site="3301000001") == []
    assert ids(column=cluster.health_news.pk) == [cluster.health_article.pk, old.pk]
    assert ids(year=last_year) == [old.pk]
    assert ids(year=1000) == ids(year=9999) == []
    assert ids(site="3301000003", year=timezone.now().year) == [cluster.health_article.pk]


def test_a_bad_article_filter_value_is_a_400_naming_the_parameter(api_client, cluster):
    draft_column = make_column(parent=cluster.portal.home_page, title="草稿栏目")
    draft_column.unpublish()
    bad = [("year", "abc"), ("year", "2026.5"), ("year", "0"), ("year", "99999"),
           ("column", "abc"), ("column", "999999"), ("column", str(10**30)),
           ("column", str(cluster.education_article.pk)), ("column", str(draft_column.pk)),
           ("site", "nosuchsite")]
    for param, value in bad:
        response = api_client.get("/api/v1/articles/", {param: value})

        assert response.status_code == 400, (param, value)
        assert list(response.json()) == [param]


def test_an_article_shows_its_rendered_body_images_and_attachments(api_client, cluster):
    article = make_article(
        column=cluster.education_news, title="关于秋季开学的通知", subtitle="各学校请遵照执行",
        author="办公室", summary="秋季开学安排", keywords="开学,通知",
        body=f'<p>详见<a linktype="page" id="{cluster.portal_news.pk}">政务动态</a>。</p>',
    )
    ArticleImage.objects.create(article=article, image=make_image("开学典礼"),
                                alt_text="学生参加开学典礼", caption="开学典礼现场", sort_order=0)
    document = Document.objects.create(title="秋季开学工作方案",
                                       file=ContentFile(b"%PDF-1.4", name="fangan.pdf"))
    ArticleAttachment.objects.create(article=article, document=document, sort_order=0)

    response = api_client.get(f"/api/v1/articles/{article.pk}/")

    assert response.status_code == 200
    detail = response.json()
    assert (detail["title"], detail["subtitle"], detail["author"]) == (
        "关于秋季开学的通知", "各学校请遵照执行", "办公室")
    assert (detail["summary"], detail["keywords"]) == ("秋季开学安排", "开学,通知")
    assert f'href="{cluster.portal_news.url}"' in detail["body"]
    assert "linktype" not in detail["body"]
    [image] = detail["images"]
    assert image["alt_text"] == "学生参加开学典礼"
    assert image["caption"] == "开学典礼现场"
    assert (image["width"], image["height"]) == (1200, 675)
    assert image["url"].startswith("http://testserver/media/images/")
    assert detail["attachments"] == [{
        "title": "秋季开学工作方案",
        "url": f"http://testserver/documents/{document.pk}/fangan.pdf",
        "file_extension": "pdf",
    }]


def test_a_draft_article_is_not_found(api_client, cluster):
    draft = make_article(column=cluster.education_news, title="草稿", publish=False)

    assert api_client.get(f"/api/v1/articles/{draft.pk}/").status_code == 404


def test_an_unpublished_article_is_not_found(api_client, cluster):
    cluster.health_article.unpublish()

    assert api_client.get(f"/api/v1/articles/{cluster.health_article.pk}/").status_code == 404
    assert api_client.get("/api/v1/articles/").json()["count"] == 1


def test_a_password_protected_article_is_not_found(api_client, cluster):
    PageViewRestriction.objects.create(page=cluster.health_article, password="Correct-Horse-2026",
                                       restriction_type=PageViewRestriction.PASSWORD)

    assert api_client.get(f"/api/v1/articles/{cluster.health_article.pk}/").status_code == 404
    assert api_client.get("/api/v1/articles/").json()["count"] == 1


def test_a_non_article_page_is_not_found_as_an_article(api_client, cluster):
    assert api_client.get(f"/api/v1/articles/{cluster.portal_news.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/articles/{10**30}/").status_code == 404


def test_listing_articles_takes_the_same_queries_however_many_there_are(
    api_client, cluster, django_assert_max_num_queries
):
    first = get_within_queries(api_client, "/api/v1/articles/", ARTICLES_LIST_QUERIES,
                               django_assert_max_num_queries)
    assert first.json()["count"] == 2
    for number in range(3):
        make_article(column=cluster.district_news, title=f"东城动态{number}")
        make_article(column=cluster.portal_news, title=f"门户要闻{number}")

    response = get_within_queries(api_client, "/api/v1/articles/", ARTICLES_LIST_QUERIES,
                                  django_assert_max_num_queries)
    assert response.json()["count"] == 8
    assert {article["site"] for article in response.json()["results"]} == {
        "3301000001", "3301000002", "3301000003", "3301020001"}


# Information submission (信息报送)


def test_an_editor_submits_an_article_of_their_site_to_a_portal_column(cluster):
    response = submit(staff_client(cluster, "education"), cluster.education_article,
                      cluster.portal_news)

    assert response.status_code == 201, response.content
    submission = response.json()
    assert submission["article"] == cluster.education_article.pk
    assert submission["article_title"] == "示例市教育局部署秋季开学工作"
    assert submission["target_column"] == cluster.portal_news.pk
    assert submission["target_column_title"] == "政务动态"
    assert submission["submitting_body"] == "education"
    assert submission["submitted_by"] == "education-editor"
    assert (submission["status"], submission["status_display"]) == ("pending", "待采用")
    assert submission["decided_by"] is None
    stored = ArticleSubmission.objects.get(pk=submission["id"])
    assert stored.submitting_body == cluster.education


def test_anonymous_visitors_cannot_list_or_make_submissions(api_client, cluster):
    assert api_client.get(SUBMISSIONS).status_code in (401, 403)
    assert submit(api_client, cluster.education_article, cluster.portal_news).status_code in (
        401, 403)
    assert not ArticleSubmission.objects.exists()


def test_a_signed_in_user_who_is_not_staff_cannot_make_submissions(cluster):
    citizen = get_user_model().objects.create_user("citizen", password="Correct-Horse-2026")
    client = APIClient()
    client.force_login(citizen)

    assert client.get(SUBMISSIONS).status_code == 403
    assert submit(client, cluster.education_article, cluster.portal_news).status_code == 403


def test_a_submission_without_the_csrf_token_is_refused(cluster):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cluster.user("education", "editor"))

    refused = submit(client, cluster.education_article, cluster.portal_news)

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not ArticleSubmission.objects.exists()
    token = "k" * 32
    client.cookies["csrftoken"] = token
    accepted = client.post(SUBMISSIONS, {"article": cluster.education_article.pk,
                                         "target_column": cluster.portal_news.pk},
                           format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_submitting_the_same_article_to_the_same_column_twice_is_a_400_naming_the_column(cluster):
    client = staff_client(cluster, "education")
    assert submit(client, cluster.education_article, cluster.portal_news).status_code == 201

    response = submit(client, cluster.education_article, cluster.portal_news)

    assert response.status_code == 400
    assert response.json() == {
        "target_column": ["这篇文章已报送到该栏目，正在等待处理或已被采用。"]}


def test_an_unknown_or_malformed_id_is_a_400_naming_the_field(cluster):
    client = staff_client(cluster, "education")
    bad = [({"article": 999999}, "article"), ({"article": "abc"}, "article"),
           ({"article": 10**30}, "article"), ({"article": None}, "article"),
           ({"article": cluster.education_news.pk}, "article"),
           ({"target_column": 999999}, "target_column"),
           ({"target_column": None}, "target_column"),
           ({"target_column": cluster.health_article.pk}, "target_column")]
    for data, field in bad:
        payload = {"article": cluster.education_article.pk,
                   "target_column": cluster.portal_news.pk, **data}

        response = client.post(SUBMISSIONS, payload, format="json")

        assert response.status_code == 400, data
        assert list(response.json()) == [field]
    assert not ArticleSubmission.objects.exists()


def test_a_submission_without_fields_is_a_400_naming_each_field(cluster):
    response = staff_client(cluster, "education").post(SUBMISSIONS, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"article", "target_column"}


def test_a_draft_article_cannot_be_submitted(cluster):
    draft = make_article(column=cluster.education_news, title="草稿", publish=False)

    response = submit(staff_client(cluster, "education"), draft, cluster.portal_news)

    assert response.status_code == 400
    assert response.json() == {"article": ["只能报送已发布的文章。"]}


def test_an_article_cannot_be_submitted_to_a_column_of_its_own_site(cluster):
    other_column = make_column(parent=cluster.education_site.home_page, title="通知公告")

    response = submit(staff_client(cluster, "education"), cluster.education_article, other_column)

    assert response.status_code == 400
    assert list(response.json()) == ["target_column"]


def test_staff_of_another_body_cannot_submit_an_article_they_cannot_edit(cluster):
    response = submit(staff_client(cluster, "health"), cluster.education_article,
                      cluster.portal_news)

    assert response.status_code == 400
    assert response.json() == {"article": ["您没有编辑这篇文章的权限，不能报送。"]}


def test_the_portal_editor_adopts_and_the_article_appears_in_the_portal_column(api_client, cluster):
    created = submit(staff_client(cluster, "education"), cluster.education_article,
                     cluster.portal_news).json()
    column_articles = f"/api/v1/columns/{cluster.portal_news.pk}/articles/"
    assert results(api_client.get(column_articles)) == []

    response = staff_client(cluster, "city").post(f"{SUBMISSIONS}{created['id']}/adopt/")

    assert response.status_code == 200, response.content
    adopted = response.json()
    assert (adopted["status"], adopted["status_display"]) == ("adopted", "已采用")
    assert adopted["decided_by"] == "city-editor"
    assert adopted["decided_at"] is not None
    listed = results(api_client.get(column_articles))
    assert [article["id"] for article in listed] == [cluster.education_article.pk]
    assert listed[0]["site"] == "3301000002"


def test_adopting_twice_is_a_400(cluster):
    created = submit(staff_client(cluster, "education"), cluster.education_article,
                     cluster.portal_news).json()
    city = staff_client(cluster, "city")
    assert city.post(f"{SUBMISSIONS}{created['id']}/adopt/").status_code == 200

    response = city.post(f"{SUBMISSIONS}{created['id']}/adopt/")

    assert response.status_code == 400
    assert response.json() == {"status": ["该报送已处理，不能重复处理。"]}


@pytest.mark.parametrize("body_slug", ["health", "education"])
def test_staff_who_cannot_edit_the_target_column_cannot_adopt(cluster, body_slug):
    created = submit(staff_client(cluster, "education"), cluster.education_article,
                     cluster.portal_news).json()

    response = staff_client(cluster, body_slug).post(f"{SUBMISSIONS}{created['id']}/adopt/")

    assert response.status_code == 400
    assert response.json() == {"target_column": ["您没有管理该栏目的权限。"]}
    assert ArticleSubmission.objects.get(pk=created["id"]).status == SubmissionStatus.PENDING


def test_adopting_an_unknown_submission_is_not_found(cluster):
    assert staff_client(cluster, "city").post(f"{SUBMISSIONS}999999/adopt/").status_code == 404


def test_anonymous_visitors_cannot_adopt_or_decline(api_client, cluster):
    submission = actions.submit_article_to_column(
        article=cluster.education_article, target_column=cluster.portal_news,
        actor=cluster.user("education", "editor"))

    assert api_client.post(f"{SUBMISSIONS}{submission.pk}/adopt/").status_code in (401, 403)
    assert api_client.post(f"{SUBMISSIONS}{submission.pk}/decline/",
                           {"reason": "重复"}).status_code in (401, 403)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PENDING


def test_a_declined_submission_keeps_its_reason(cluster):
    created = submit(staff_client(cluster, "education"), cluster.education_article,
                     cluster.portal_news).json()

    response = staff_client(cluster, "city").post(
        f"{SUBMISSIONS}{created['id']}/decline/", {"reason": "与已发布信息重复。"}, format="json")

    assert response.status_code == 200, response.content
    declined = response.json()
    assert (declined["status"], declined["decline_reason"]) == ("declined", "与已发布信息重复。")
    assert declined["decided_by"] == "city-editor"


def test_declined_submission_requires_a_reason(cluster):
    created = submit(staff_client(cluster, "education"), cluster.education_article,
                     cluster.portal_news).json()
    city = staff_client(cluster, "city")

    for data in [{}, {"reason": ""}, {"reason": "   "}]:
        response = city.post(f"{SUBMISSIONS}{created['id']}/decline/", data, format="json")

        assert response.status_code == 400, data
        assert list(response.json()) == ["reason"]
    assert ArticleSubmission.objects.get(pk=created["id"]).status == SubmissionStatus.PENDING


def test_staff_see_their_bodies_submissions_and_those_waiting_for_them(cluster):
    education, city, health = (staff_client(cluster, slug) for slug in
                               ("education", "city", "health"))
    first = submit(education, cluster.education_article, cluster.portal_news).json()
    second = submit(health, cluster.health_article, cluster.portal_news).json()

    assert [s["id"] for s in results(education.get(SUBMISSIONS))] == [first["id"]]
    assert [s["id"] for s in results(health.get(SUBMISSIONS))] == [second["id"]]
    assert {s["id"] for s in results(city.get(SUBMISSIONS))} == {first["id"], second["id"]}
    city.post(f"{SUBMISSIONS}{first['id']}/adopt/")
    assert [s["id"] for s in results(city.get(SUBMISSIONS))] == [second["id"]]
    [own] = results(education.get(SUBMISSIONS))
    assert own["status"] == "adopted"
    assert results(staff_client(cluster, "dongcheng").get(SUBMISSIONS)) == []


# Adoption counts (信息报送采用情况)


def test_adoption_counts_match_the_submissions_made(api_client, cluster):
    education, city = cluster.user("education", "editor"), cluster.user("city", "editor")
    health = cluster.user("health", "editor")
    second = make_article(column=cluster.education_news, title="教育局第二篇动态")
    adopted = actions.submit_article_to_column(
        article=cluster.education_article, target_column=cluster.portal_news, actor=education)
    actions.adopt_submission(submission=adopted, actor=city)
    actions.submit_article_to_column(article=second, target_column=cluster.portal_news,
                                     actor=education)
    declined = actions.submit_article_to_column(
        article=cluster.health_article, target_column=cluster.portal_news, actor=health)
    actions.decline_submission(submission=declined, reason="内容不适合门户刊发。", actor=city)
    when = timezone.localtime(adopted.submitted_at)

    response = api_client.get(ADOPTION_COUNTS, {"year": when.year, "month": when.month})

    assert response.status_code == 200
    rows = {row["body"]: row for row in response.json()}
    assert rows == {
        "education": {"body": "education", "body_name": "示例市教育局", "year": when.year,
                      "month": when.month, "submitted": 2, "adopted": 1, "declined": 0,
                      "pending": 1},
        "health": {"body": "health", "body_name": "示例市卫生健康委员会", "year": when.year,
                   "month": when.month, "submitted": 1, "adopted": 0, "declined": 1,
                   "pending": 0},
    }
    only_health = api_client.get(ADOPTION_COUNTS, {"year": when.year, "body": "health"}).json()
    assert [row["body"] for row in only_health] == ["health"]
    for other_year in (when.year - 1, 1000, 9999):
        assert api_client.get(ADOPTION_COUNTS, {"year": other_year}).json() == []


def test_bad_adoption_count_parameters_are_a_400_naming_the_parameter(api_client, cluster):
    bad = [({}, "year"), ({"year": "abc"}, "year"), ({"year": "99999"}, "year"),
           ({"year": "0"}, "year"), ({"year": "2026", "month": "13"}, "month"),
           ({"year": "2026", "month": "0"}, "month"), ({"year": "2026", "month": "六"}, "month"),
           ({"year": "2026", "body": "nobody"}, "body")]
    for params, field in bad:
        response = api_client.get(ADOPTION_COUNTS, params)

        assert response.status_code == 400, params
        assert list(response.json()) == [field]
