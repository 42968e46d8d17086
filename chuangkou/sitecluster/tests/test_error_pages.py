"""Error pages: a 404 in the reader's site with the ways back, in Chinese; a 500 page that
needs neither the database nor a template context."""

from django.template.loader import render_to_string


def test_unknown_path_gets_a_chinese_404_with_the_ways_back(client, cluster):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "您访问的页面不存在" in html
    assert "返回示例市人民政府门户网站首页" in html
    assert "/zhaocuo/?page=/no-such-page/" in html
    assert 'href="/sitemap.xml"' in html


def test_404_under_a_department_site_keeps_that_sites_layout(client, cluster):
    response = client.get("/jyj/no-such-column/")
    assert response.status_code == 404
    assert "返回示例市教育局首页" in response.content.decode()


def test_404_on_a_site_with_its_own_hostname_uses_that_site(client, cluster):
    response = client.get("/no-such-page/", HTTP_HOST="dongcheng.localhost")
    assert response.status_code == 404
    assert "返回示例市东城区人民政府首页" in response.content.decode()


def test_404_path_is_escaped(client, cluster):
    response = client.get("/<script>alert(1)</script>/")
    assert response.status_code == 404
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_500_page_renders_without_a_request_or_database():
    html = render_to_string("500.html")
    assert "系统暂时无法处理您的请求" in html and 'lang="zh-Hans"' in html
