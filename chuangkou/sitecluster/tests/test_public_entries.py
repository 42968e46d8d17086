"""Home pages list the citizen entry points other apps register (办事服务), in their order,
without sitecluster naming those apps."""

import pytest
from wagtail import hooks

pytestmark = pytest.mark.django_db


def test_home_page_lists_the_registered_entries_in_order(client, cluster):
    def later():
        return (90, "我的测试入口", "/test-entry/", "测试说明<b>")

    def earlier():
        return (1, "最先的入口", "/first-entry/", "")

    with hooks.register_temporarily("public_entries", later), \
            hooks.register_temporarily("public_entries", earlier):
        html = client.get(cluster.portal.home_page.url).content.decode()
    section = html[html.index('id="entries-heading"'):]
    assert section.index('href="/first-entry/"') < section.index('href="/test-entry/"')
    assert "测试说明&lt;b&gt;" in section


def test_the_apps_entries_lead_to_services_mailbox_and_disclosure(client, cluster):
    html = client.get(cluster.education_site.home_page.url).content.decode()
    section = html[html.index('id="entries-heading"'):html.index("</section>",
                                                                  html.index("entries-heading"))]
    order = [section.index(f'href="{path}"') for path in
             ("/banshi/", "/banshi/guides/", "/hudong/", "/zwgk/ysqgk/")]
    assert order == sorted(order)
    for path in ("/banshi/", "/banshi/guides/", "/hudong/", "/zwgk/ysqgk/"):
        assert client.get(path).status_code == 200, path
