"""Real-browser checks of the public services pages in Debian's Chromium, without JavaScript:
an application made with the keyboard (the file chosen as a person would with the file dialog)
and followed with its number and query code, and the catalogue, guide and ratings pages read on
a 375-pixel phone screen without sideways scrolling or any request leaving the site."""

import re

import pytest

from chuangkou.services.models import ServiceApplication
from chuangkou.sitecluster.tests.test_browser import browser, pytestmark  # noqa: F401

from .factories import make_item

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def focused_name(page) -> str:
    return page.evaluate("() => document.activeElement.name || ''")


def tab_to(page, name: str, *, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_name(page) == name:
            return
    raise AssertionError(f"{name} was not reached by Tab")


@pytest.fixture
def served(cluster, live_server):
    item = make_item(body=cluster.education, code="330100-JY-0001")
    return live_server.url, cluster, item


def test_an_application_is_made_by_keyboard_and_followed_with_its_code(browser, served):  # noqa: F811
    base, _cluster, item = served
    external = []
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.on("request", lambda request: None if request.url.startswith(base)
            else external.append(request.url))
    page.goto(f"{base}/banshi/items/{item.code}/")
    page.get_by_role("link", name=re.compile("在线申请")).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == f"网上申请：{item.name}"

    tab_to(page, "name")
    page.keyboard.type("谢小红")
    tab_to(page, "phone")
    page.keyboard.type("13800138000")
    tab_to(page, "answer_student_name")
    page.keyboard.type("谢明明")
    tab_to(page, "answer_grade")
    page.keyboard.press("Space")  # the first choice, 一年级
    upload = item.materials.get(upload_required=True)
    page.set_input_files(f"input[name=material_{upload.pk}]", files=[
        {"name": "转学申请表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name=re.compile("提交")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "申请已提交"
    application = ServiceApplication.objects.select_related("applicant").get()
    assert application.answers == {"student_name": "谢明明", "grade": "一年级"}
    assert application.applicant.name == "谢小红" and application.uploads.count() == 1
    code = page.inner_text(".query-code").strip()

    lookup = browser.new_context(java_script_enabled=False).new_page()
    lookup.goto(f"{base}/banshi/query/")
    tab_to(lookup, "number")
    lookup.keyboard.type(application.number)
    tab_to(lookup, "code")
    lookup.keyboard.type(code.lower())
    with lookup.expect_navigation():
        lookup.keyboard.press("Enter")
    text = lookup.inner_text("main")
    assert lookup.url.endswith(f"/banshi/applications/{application.number}/")
    assert application.get_status_display() in text and item.name in text
    assert "谢**" in text and "谢小红" not in text and "13800138000" not in text
    assert external == []
    context.close()


def test_public_services_pages_fit_a_phone_screen_and_stay_on_the_site(browser, served):  # noqa: F811
    base, _cluster, item = served
    external = []
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.on("request", lambda request: None if request.url.startswith(base)
            else external.append(request.url))
    for path in ("/banshi/", "/banshi/items/", f"/banshi/items/{item.code}/",
                 f"/banshi/items/{item.code}/print/", f"/banshi/items/{item.code}/apply/",
                 "/banshi/guides/", "/banshi/query/", "/banshi/bookings/", "/banshi/ratings/"):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    assert external == []
    context.close()
