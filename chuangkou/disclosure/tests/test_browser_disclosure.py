"""Real-browser checks of the public disclosure pages in Debian's Chromium: an application
made and followed by keyboard without JavaScript, and the catalogue read on a phone."""

import re
from datetime import date

import pytest

from chuangkou.disclosure.actions.catalogue import create_disclosure_platform
from chuangkou.disclosure.choices import Genre, Theme
from chuangkou.disclosure.models import DisclosureApplication
from chuangkou.disclosure.tests.factories_catalogue import make_document
from chuangkou.sitecluster.tests.test_browser import browser, path_of, pytestmark  # noqa: F401

VALID_RESIDENT_ID = "11010519491231002X"


@pytest.fixture
def served(cluster, live_server):
    platform = create_disclosure_platform(body=cluster.education,
                                          parent_page=cluster.education_site.home_page)
    make_document(column=cluster.education_news, body=cluster.education,
                  title="示例市教育局关于做好2026年义务教育招生入学工作的通知",
                  document_number="示教发〔2026〕3号", genre=Genre.NOTICE,
                  theme=Theme.SCIENCE_EDUCATION, written_on=date(2026, 4, 10),
                  formed_on=date(2026, 4, 10),
                  summary="明确公办民办学校同步招生和随迁子女入学办法")
    return live_server.url, cluster, platform


def test_an_application_is_made_and_followed_without_javascript(browser, served):  # noqa: F811
    base, cluster, _platform = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + f"/zwgk/ysqgk/{cluster.education.slug}/apply/")
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill("谢小红")
    page.get_by_label("证件号码").fill(VALID_RESIDENT_ID)
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("所需信息的内容描述").fill("2026年义务教育阶段各学校招生计划及学区划分文件。")
    page.get_by_label("信息的提供形式").select_option(label="电子文档")
    page.get_by_label("获取信息的方式").select_option(label="网上获取")
    page.get_by_label("获取信息的方式").press("Tab")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("提交")).press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "申请已提交"
    application = DisclosureApplication.objects.get(body=cluster.education)
    text = page.inner_text("main")
    code = re.search(r"查询码\s*([2-9A-HJ-NP-Z]{8})", text).group(1)
    assert application.number in text

    page.goto(base + "/zwgk/ysqgk/query/")
    page.get_by_label("申请编号").fill(application.number)
    page.get_by_label("查询码").fill(code)
    with page.expect_navigation():
        page.get_by_label("查询码").press("Enter")
    status = page.inner_text("main")
    assert "待确认收到" in status and "谢小红" not in status and VALID_RESIDENT_ID not in status
    context.close()


def test_the_catalogue_fits_a_phone_and_leads_to_the_metadata_table(browser, served):  # noqa: F811
    base, _cluster, platform = served
    external_requests = []
    context = browser.new_context(viewport={"width": 375, "height": 740},
                                  java_script_enabled=False)
    page = context.new_page()
    page.on("request", lambda request: None if request.url.startswith(base)
            else external_requests.append(request.url))
    catalogue = platform.get_children().get(slug="fdzdgknr")
    page.goto(base + path_of(catalogue))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("体裁分类").select_option(label="通知")
    with page.expect_navigation():
        page.get_by_role("button", name="检索").press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("招生入学工作的通知")).click()
    table = page.inner_text("main")
    assert "索引号" in table and "示教发〔2026〕3号" in table
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert external_requests == []
    context.close()
