"""Real-browser checks of the citizen pages in Debian's Chromium, without JavaScript: a citizen
registers with the keyboard, enters the code from the e-mail, signs in and reaches 我的主页; the
sign-in, registration and homepage pages fit a 375-pixel phone screen and ask nothing of any other
site."""

import re

import pytest
from django.core import mail

from chuangkou.accounts.models import CitizenAccount
from chuangkou.sitecluster.tests.test_browser import browser, pytestmark  # noqa: F401

from .factories import PASSWORD, make_citizen

CODE = re.compile(r"\b(\d{6})\b")


def focused_name(page) -> str:
    return page.evaluate("() => document.activeElement.name || ''")


def tab_to(page, name: str, *, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_name(page) == name:
            return
    raise AssertionError(f"{name} was not reached by Tab")


def submit_with_enter(page, button: re.Pattern) -> None:
    page.get_by_role("button", name=button).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def served(cluster, live_server):
    return live_server.url


def test_a_citizen_registers_verifies_and_signs_in_by_keyboard(browser, served):  # noqa: F811
    base = served
    external = []
    page = browser.new_context(java_script_enabled=False).new_page()
    page.on("request", lambda request: None if request.url.startswith(base)
            else external.append(request.url))
    page.goto(f"{base}/yonghu/register/")
    assert page.get_by_role("heading", level=1).inner_text() == "注册账号"

    tab_to(page, "contact")
    page.keyboard.type("liuyang@example.cn")
    tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    tab_to(page, "password_confirm")
    page.keyboard.type(PASSWORD)
    tab_to(page, "consent")
    page.keyboard.press("Space")
    submit_with_enter(page, re.compile("注册并获取验证码"))

    assert "l***@example.cn" in page.inner_text("main")
    code = CODE.search(mail.outbox[-1].body).group(1)
    tab_to(page, "code")
    page.keyboard.type(code)
    submit_with_enter(page, re.compile("完成注册"))
    account = CitizenAccount.objects.get()
    assert account.identity_level == "verified_contact"

    page.goto(f"{base}/yonghu/sign-in/")
    tab_to(page, "identifier")
    page.keyboard.type("liuyang@example.cn")
    tab_to(page, "password")
    page.keyboard.type(PASSWORD)
    submit_with_enter(page, re.compile("^登录$"))
    assert page.url.rstrip("/").endswith("/yonghu")
    assert page.get_by_role("heading", level=1).inner_text().startswith("我的主页")
    assert external == []


def test_citizen_pages_fit_a_phone_screen_and_stay_on_the_site(browser, served):  # noqa: F811
    base = served
    make_citizen(mobile="13800138001")
    external = []
    page = browser.new_context(java_script_enabled=False,
                               viewport={"width": 375, "height": 800}).new_page()
    page.on("request", lambda request: None if request.url.startswith(base)
            else external.append(request.url))
    for path in ("/yonghu/sign-in/", "/yonghu/register/", "/yonghu/reset/"):
        page.goto(f"{base}{path}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, path
        for field in page.locator("main input:not([type=hidden])").all():
            field_id = field.get_attribute("id")
            assert page.locator(f"label[for='{field_id}']").count() == 1, (path, field_id)
    page.goto(f"{base}/yonghu/sign-in/")
    page.fill("input[name=identifier]", "13800138001")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^登录$")).click()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("heading", level=1).inner_text().startswith("我的主页")
    assert external == []
