"""Bad rich text never becomes markup that runs, whichever way it arrives."""

import json

import pytest
from django.urls import reverse

from chuangkou.organizations.choices import Role
from chuangkou.sitecluster.exceptions import ArticleInvalid
from chuangkou.sitecluster.models import ArticlePage
from chuangkou.sitecluster.tests.factories import make_article

from .test_schedule import edit_form_data


def contentstate_with_link(url: str) -> str:
    return json.dumps({
        "blocks": [{"key": "a1", "text": "点击查看通知", "type": "unstyled", "depth": 0,
                    "inlineStyleRanges": [], "entityRanges": [{"offset": 0, "length": 6, "key": 0}]}],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
    })


def test_editor_link_to_javascript_is_not_stored(cluster, client):
    editor = cluster.user("health", Role.REVIEWER)
    article = make_article(column=cluster.health_news, publish=False, actor=editor)
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]),
                           edit_form_data(article, body=contentstate_with_link("javascript:alert(1)")))
    assert response.status_code in (200, 302)
    stored = ArticlePage.objects.get(pk=article.pk).get_latest_revision().content["body"]
    assert "javascript" not in stored.lower()


def test_action_cleans_script_and_javascript_link(cluster):
    article = make_article(column=cluster.health_news, publish=False,
                           body='<p onmouseover="x()">正文<script>alert(1)</script>'
                                '<a href="javascript:alert(1)">链接</a></p>')
    stored = ArticlePage.objects.get(pk=article.pk).body
    assert stored == "<p>正文<a>链接</a></p>"


def test_body_of_only_markup_is_refused_naming_the_field(cluster):
    with pytest.raises(ArticleInvalid) as refused:
        make_article(column=cluster.health_news, body="<script>alert(1)</script>")
    assert "body" in refused.value.errors


def test_rendered_article_escapes_what_survives(cluster, client):
    article = make_article(column=cluster.health_news,
                           body="<p>&lt;script&gt;alert(1)&lt;/script&gt; 正文</p>")
    html = client.get(article.get_url_parts()[2], HTTP_HOST="localhost").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
