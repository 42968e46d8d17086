"""Real-browser check of the public mailbox in Debian's Chromium, without JavaScript: a letter
written with the keyboard only (the honeypot is never reached, the text question is read from
its label as a screen reader would), the number and query code on the receipt, and the letter
looked up with them."""

import re
import time

import pytest

from chuangkou.mailbox.models import Letter
from chuangkou.sitecluster.tests.test_browser import browser, pytestmark  # noqa: F401

from .public_helpers import clear_rate_limits

DIGITS = "零一二三四五六七八九十"


def answer_of(question: str) -> int:
    match = re.search(r"([一二三四五六七八九十])([加减])([一二三四五六七八九十])等于几", question)
    first, second = DIGITS.index(match.group(1)), DIGITS.index(match.group(3))
    return first + second if match.group(2) == "加" else first - second


def focused(page) -> dict:
    return page.evaluate("""() => {
        const element = document.activeElement;
        return {name: element.name || '', tag: element.tagName, type: element.type || ''};
    }""")


def tab_to(page, name: str, *, limit: int = 60) -> None:
    """Press Tab until the control called ``name`` has the focus (never the honeypot)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = focused(page)
        assert current["name"] != "homepage", "the honeypot must not be reachable by Tab"
        if current["name"] == name:
            return
    raise AssertionError(f"{name} was not reached by Tab")


@pytest.fixture
def served(cluster, live_server):
    clear_rate_limits()
    yield live_server.url, cluster
    clear_rate_limits()


def test_a_letter_is_written_by_keyboard_and_looked_up_with_its_code(browser, served):  # noqa: F811
    base, cluster = served
    external_requests = []
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.on("request", lambda request: None if request.url.startswith(base)
            else external_requests.append(request.url))
    page.goto(base + "/hudong/write/?body=education")
    opened = time.monotonic()

    tab_to(page, "kind")
    page.keyboard.press("Space")  # the first kind, 咨询
    tab_to(page, "addressed_body")
    assert page.eval_on_selector("#id_addressed_body", "select => select.value") == str(
        cluster.education.pk)
    tab_to(page, "title")
    page.keyboard.type("和平路路灯不亮")
    tab_to(page, "content")
    page.keyboard.type("和平路12号附近的三盏路灯已经一周不亮，夜间行人很不安全，请尽快修复。")
    tab_to(page, "may_publish")
    page.keyboard.press("Space")
    tab_to(page, "name")
    page.keyboard.type("谢小红")
    tab_to(page, "phone")
    page.keyboard.type("13800138000")
    tab_to(page, "bot_answer")
    question = page.inner_text("label[for=id_bot_answer]")
    page.keyboard.type(str(answer_of(question)))
    time.sleep(max(0.0, 3.5 - (time.monotonic() - opened)))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.get_by_role("heading", level=1).inner_text() == "来信已提交"
    letter = Letter.objects.select_related("kind", "writer").get()
    text = page.inner_text("main")
    code = re.search(r"查询码\s*([2-9A-HJ-NP-Z]{8})", text).group(1)
    assert letter.number in text and letter.kind.code == "zixun" and letter.may_publish
    assert letter.addressed_body_id == cluster.education.pk and letter.writer.name == "谢小红"

    lookup = browser.new_context(java_script_enabled=False).new_page()
    lookup.goto(base + "/hudong/query/")
    tab_to(lookup, "number")
    lookup.keyboard.type(letter.number)
    tab_to(lookup, "code")
    lookup.keyboard.type(code.lower())
    with lookup.expect_navigation():
        lookup.keyboard.press("Enter")
    status = lookup.inner_text("main")
    assert lookup.url.endswith(f"/hudong/letters/{letter.number}/")
    assert "信件办理情况" in status and letter.get_status_display() in status
    assert "谢**" in status and "谢小红" not in status and "13800138000" not in status
    assert external_requests == []
    context.close()


def test_errors_are_summarised_at_the_top_with_links_to_the_fields(browser, served):  # noqa: F811
    base, _cluster = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/hudong/write/")
    with page.expect_navigation():
        page.get_by_role("button", name="提交来信").press("Enter")
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "提交未成功" in summary.inner_text()
    link = summary.get_by_role("link", name=re.compile("^标题："))
    assert link.get_attribute("href") == "#id_title"
    title = page.get_by_label("标题")
    assert title.get_attribute("aria-invalid") == "true"
    assert "id_title-errors" in title.get_attribute("aria-describedby")
    assert Letter.objects.count() == 0
    context.close()
