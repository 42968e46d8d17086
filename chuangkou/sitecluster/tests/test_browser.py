"""Real-browser checks of the public site in Debian's Chromium (never a downloaded browser)."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized rollback restores the root page and
    # collection that Wagtail's migrations create, so later tests still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(shutil.which(CHROMIUM) is None and not os.path.exists(CHROMIUM),
                       reason="Debian's chromium is not installed (.ci/run installs it)"),
]


def path_of(page) -> str:
    return page.get_url_parts()[2]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls
    # happen in its own threads, so Django's async-safety guard does not apply to them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def served(cluster, live_server):
    return live_server.url, cluster


def test_phone_width_has_no_horizontal_scroll_and_skip_link_works_by_keyboard(browser, served):
    base, cluster = served
    external_requests = []
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.on("request", lambda request: None if request.url.startswith(base)
            else external_requests.append(request.url))
    page.goto(base + path_of(cluster.education_article))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到主要内容"
    box = page.evaluate("document.activeElement.getBoundingClientRect().left")
    assert box >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert external_requests == []


def test_pages_read_without_javascript(browser, served):
    base, cluster = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + path_of(cluster.education_news))
    page.get_by_role("link", name="示例市教育局部署秋季开学工作").click()
    assert page.get_by_role("heading", level=1).inner_text() == "示例市教育局部署秋季开学工作"
    context.close()


def test_error_report_form_is_usable_by_keyboard_without_javascript(browser, served):
    base, _cluster = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/zhaocuo/?page=/jyj/news/")
    page.get_by_label("问题描述").fill("链接打不开，请检查。")
    page.get_by_label("问题描述").press("Tab")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "感谢您的反馈"
    context.close()
