"""The Wagtail admin's own search screens find Chinese text through the Tantivy backend: page
search (with its page-type filter), documents, images and the page chooser."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from chuangkou.organizations.choices import Role
from chuangkou.sitecluster.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def wagtail_search(settings, search_index):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "chuangkou.search.wagtail_backend"}}
    return search_index


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        username="admin-search", email="admin-search@example.com", password="x")
    client.force_login(user)
    return client


def test_page_search_screen_lists_pages_holding_the_chinese_word(cluster, wagtail_search,
                                                                 superuser_client):
    make_article(column=cluster.health_news, title="关于开展消防安全检查的公告",
                 body="<p>正文。</p>")
    make_article(column=cluster.health_news, title="春季义务植树活动安排", body="<p>正文。</p>")

    response = superuser_client.get("/admin/pages/search/", {"q": "公告"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "关于开展消防安全检查的公告" in content
    assert "春季义务植树活动安排" not in content


def test_page_search_screen_filters_by_page_type_and_finds_traditional(cluster, wagtail_search,
                                                                       superuser_client):
    make_article(column=cluster.health_news, title="城乡居民养老保险参保登记",
                 body="<p>正文。</p>")

    response = superuser_client.get("/admin/pages/search/", {
        "q": "養老保險", "content_type": "sitecluster.articlepage"})

    assert response.status_code == 200
    assert "城乡居民养老保险参保登记" in response.content.decode()


def test_page_search_screen_shows_an_editor_only_pages_they_may_explore(cluster,
                                                                        wagtail_search, client):
    make_article(column=cluster.health_news, title="卫健系统安全生产通知", body="<p>正文。</p>")
    make_article(column=cluster.education_news, title="教育系统安全生产通知",
                 body="<p>正文。</p>")
    client.force_login(cluster.user("health", Role.EDITOR))

    response = client.get("/admin/pages/search/", {"q": "安全生产"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "卫健系统安全生产通知" in content
    assert "教育系统安全生产通知" not in content


def test_documents_screen_finds_a_document_by_chinese_title(wagtail_search, superuser_client):
    Document = get_document_model()
    Document.objects.create(title="二〇二五年防汛应急预案",
                            file=ContentFile(b"%PDF-1.4", name="plan.pdf"))
    Document.objects.create(title="财政预算执行报告",
                            file=ContentFile(b"%PDF-1.4", name="budget.pdf"))

    response = superuser_client.get("/admin/documents/", {"q": "应急预案"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "二〇二五年防汛应急预案" in content
    assert "财政预算执行报告" not in content


def test_images_screen_finds_an_image_by_chinese_title(wagtail_search, superuser_client):
    Image = get_image_model()
    Image.objects.create(title="长江大桥夜景", file=get_test_image_file())
    Image.objects.create(title="城市湿地公园", file=get_test_image_file())

    response = superuser_client.get("/admin/images/", {"q": "大桥"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "长江大桥夜景" in content
    assert "城市湿地公园" not in content


def test_page_chooser_search_finds_a_prefix(cluster, wagtail_search, superuser_client):
    make_article(column=cluster.health_news, title="消防安全检查通知", body="<p>正文。</p>")

    response = superuser_client.get("/admin/choose-page/search/", {"q": "消防安"})

    assert response.status_code == 200
    assert "消防安全检查通知" in response.content.decode()


@pytest.mark.parametrize("query", ["！？。", "AND OR", "\"\"", "公告" * 5000, "live:true"])
def test_page_search_screen_answers_odd_queries(cluster, wagtail_search, superuser_client,
                                                query):
    response = superuser_client.get("/admin/pages/search/", {"q": query})

    assert response.status_code == 200

