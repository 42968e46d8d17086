"""The demo letters load through the actions, show every state of the closed loop, and a
second run adds nothing."""

from io import StringIO

import time_machine

from chuangkou.accounts.choices import IdentityLevel
from chuangkou.accounts.demo import citizens as demo_citizens
from chuangkou.accounts.tests.factories import make_citizen
from chuangkou.mailbox.choices import FollowUpStatus, LetterStatus
from chuangkou.mailbox.demo.letters import CITIZEN_LETTERS, DEMO_LETTERS, load_letters_demo
from chuangkou.mailbox.models import FollowUp, Letter, RoutingRule
from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests.factories import make_staff
from chuangkou.publishing.actions import add_lexicon_entry
from chuangkou.publishing.choices import LexiconCategory

DEMO_STAFF = (
    ("admin", "city", Role.SYSTEM_ADMINISTRATOR),
    ("szf_dispatcher", "city", Role.LETTER_DISPATCHER),
    ("szf_supervisor", "city", Role.LETTER_SUPERVISOR),
    ("jyj_letters", "education", Role.LETTER_HANDLER),
    ("jyj_letters_review", "education", Role.LETTER_REVIEWER),
    ("dongcheng_letters", "dongcheng", Role.LETTER_HANDLER),
    ("dongcheng_letters_review", "dongcheng", Role.LETTER_REVIEWER),
)


@time_machine.travel("2026-11-20 09:00 +0800", tick=False)
def test_demo_letters_cover_every_state_and_load_once(cluster):
    bodies = {"city": cluster.city, "education": cluster.education,
              "dongcheng": cluster.district}
    for username, body, role in DEMO_STAFF:
        make_staff(body=bodies[body], role=role, username=username)
    add_lexicon_entry(term="网络赌博", category=LexiconCategory.GAMBLING)  # as the starter lexicon
    out = StringIO()
    load_letters_demo(stdout=out)
    load_letters_demo(stdout=out)

    assert Letter.objects.count() == len(DEMO_LETTERS)
    assert RoutingRule.objects.count() == 2
    assert "新增 0 封来信" in out.getvalue()
    by_title = {letter.title: letter for letter in Letter.objects.select_related("rating")}
    statuses = sorted(letter.status for letter in by_title.values())
    assert statuses == sorted([
        LetterStatus.ANSWERED, LetterStatus.ANSWERED, LetterStatus.ANSWERED,
        LetterStatus.IN_PROGRESS, LetterStatus.IN_PROGRESS, LetterStatus.AWAITING_DISPATCH,
        LetterStatus.HELD])
    assert Letter.objects.filter(is_published=True).count() == 2
    overdue = by_title["东城区幸福里小区旁工地夜间施工噪音扰民"]
    assert overdue.escalated_at is not None and overdue.urge_notes.count() == 1
    published = by_title["建议在东城区和平路与建设路口增设行人过街信号灯"]
    assert published.assigned_body == cluster.district  # routed by the keyword rule
    assert "18号" not in published.published_content
    assert FollowUp.objects.get().status == FollowUpStatus.OPEN


@time_machine.travel("2026-11-20 09:00 +0800", tick=False)
def test_the_demo_citizen_gets_an_answered_letter_to_rate_and_one_in_hand(cluster, monkeypatch):
    bodies = {"city": cluster.city, "education": cluster.education,
              "dongcheng": cluster.district}
    for username, body, role in DEMO_STAFF:
        make_staff(body=bodies[body], role=role, username=username)
    zhangwei = make_citizen(level=IdentityLevel.REAL_NAME, real_name="张伟",
                            email="zhangwei@example.cn")
    monkeypatch.setattr(demo_citizens, "demo_citizen",
                        lambda key: zhangwei if key == "zhangwei" else None)
    load_letters_demo()
    load_letters_demo()

    letters = {letter.form_token: letter for letter in
               Letter.objects.filter(user=zhangwei.user).select_related("writer")}
    assert len(letters) == len(CITIZEN_LETTERS) == 2
    answered, in_hand = letters["demo-citizen-zhangwei-01"], letters["demo-citizen-zhangwei-02"]
    assert answered.status == LetterStatus.ANSWERED and not hasattr(answered, "rating")
    assert in_hand.status == LetterStatus.IN_PROGRESS and in_hand.due_on is not None
    assert answered.writer.name == "张伟" and answered.writer.email == "zhangwei@example.cn"


def test_without_the_accounts_demo_no_citizen_letters_are_made(cluster, monkeypatch):
    monkeypatch.setattr(demo_citizens, "demo_citizen", lambda key: None)
    for username, body, role in DEMO_STAFF:
        make_staff(body={"city": cluster.city, "education": cluster.education,
                         "dongcheng": cluster.district}[body], role=role, username=username)
    load_letters_demo()
    assert not Letter.objects.filter(form_token__startswith="demo-citizen-").exists()
