"""The search actions administrators and the search page use: synonyms, government terms and
best bets are validated field by field (nothing written when refused), audited with the actor
and what changed, and make every process re-read the tuning once the change commits; the
analytics counters count per normalised query and day without personal data."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.tests.factories import UserFactory
from chuangkou.search import actions
from chuangkou.search.exceptions import BestBetInvalid, GovernmentTermInvalid, SynonymInvalid
from chuangkou.search.models import BestBet, GovernmentTerm, QueryStatistic, Synonym
from chuangkou.search.queries import tuning_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory(username="search-admin")


def only_event(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def refusal(error) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages]
            for field, messages in error.value.errors.items()}


# -- 同义词 --------------------------------------------------------------------------------------


def test_a_synonym_group_is_stored_with_one_separator_and_no_repeats(actor):
    synonym = actions.create_synonym(terms=" 社保、社会保险;社会保障  社保 ", note=" 人社局 ",
                                     actor=actor)
    assert (synonym.terms, synonym.note, synonym.is_active) == (
        "社保，社会保险，社会保障", "人社局", True)
    event = only_event("search.synonym.created")
    assert (event.actor, event.target_id) == (actor, str(synonym.pk))
    assert event.data == {"terms": "社保，社会保险，社会保障", "note": "人社局", "is_active": True}


@pytest.mark.parametrize("terms, message", [
    ("", "同义词组至少需要两个不同的词，用逗号或顿号分隔。"),
    ("医保", "同义词组至少需要两个不同的词，用逗号或顿号分隔。"),
    ("医保，医保、医保", "同义词组至少需要两个不同的词，用逗号或顿号分隔。"),
    ("医保，" + "长" * 41, "每个词不超过 40 个字。"),
])
def test_a_refused_synonym_names_the_terms_field_and_writes_nothing(actor, terms, message):
    with pytest.raises(SynonymInvalid) as error:
        actions.create_synonym(terms=terms, actor=actor)
    assert refusal(error) == {"terms": [message]}
    assert not Synonym.objects.exists() and not AuditEvent.objects.exists()


def test_a_synonym_group_longer_than_the_column_is_refused_on_the_terms_field(actor):
    words = "，".join(f"{'长' * 38}{number:02d}" for number in range(13))  # 13 × 41 > 500
    with pytest.raises(SynonymInvalid) as error:
        actions.create_synonym(terms=words, actor=actor)
    assert list(error.value.errors) == ["terms"]
    assert not Synonym.objects.exists()


def test_updating_a_synonym_audits_before_and_after(actor):
    synonym = actions.create_synonym(terms="医保，医疗保险")
    actions.update_synonym(synonym=synonym, terms="医保 医疗保险 基本医疗保险", note="医保局",
                           is_active=False, actor=actor)
    synonym.refresh_from_db()
    assert (synonym.terms, synonym.note, synonym.is_active) == (
        "医保，医疗保险，基本医疗保险", "医保局", False)
    event = only_event("search.synonym.updated")
    assert event.actor == actor
    assert event.data == {
        "before": {"terms": "医保，医疗保险", "note": "", "is_active": True},
        "after": {"terms": "医保，医疗保险，基本医疗保险", "note": "医保局", "is_active": False}}


def test_a_refused_synonym_update_keeps_the_stored_group(actor):
    synonym = actions.create_synonym(terms="医保，医疗保险")
    with pytest.raises(SynonymInvalid):
        actions.update_synonym(synonym=synonym, terms="医保", actor=actor)
    synonym.refresh_from_db()
    assert synonym.terms == "医保，医疗保险"
    assert not AuditEvent.objects.filter(action="search.synonym.updated").exists()


def test_deleting_a_synonym_is_audited_once(actor):
    synonym = actions.create_synonym(terms="医保，医疗保险")
    actions.delete_synonym(synonym=synonym, actor=actor)
    actions.delete_synonym(synonym=synonym, actor=actor)  # a second click: nothing left to do
    assert not Synonym.objects.exists()
    event = only_event("search.synonym.deleted")
    assert (event.actor, event.target_id, event.data["terms"]) == (
        actor, str(synonym.pk), "医保，医疗保险")


# -- 政务词库 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, stored", [
    ("一网通办", "一网通办"),
    ("一網通辦", "一网通办"),  # Traditional
    ("一网 通办", "一网通办"),
    ("ＥＴＣ卡", "etc卡"),  # full-width, as queries are normalised
])
def test_a_government_term_is_stored_the_way_queries_are_normalised(actor, typed, stored):
    term = actions.set_government_term(term=typed, note="", actor=actor)
    assert term.term == stored
    assert only_event("search.term.set").data == {"term": stored, "note": "", "created": True}


@pytest.mark.parametrize("typed, message", [
    ("", "请输入词语。"),
    ("   ", "请输入词语。"),
    ("办", "词语至少两个字，只能包含汉字、字母和数字。"),
    ("一网-通办", "词语至少两个字，只能包含汉字、字母和数字。"),
    ("好差评！", "词语至少两个字，只能包含汉字、字母和数字。"),
])
def test_a_refused_government_term_names_the_term_field_and_writes_nothing(actor, typed,
                                                                           message):
    with pytest.raises(GovernmentTermInvalid) as error:
        actions.set_government_term(term=typed, actor=actor)
    assert refusal(error) == {"term": [message]}
    assert not GovernmentTerm.objects.exists() and not AuditEvent.objects.exists()


def test_a_government_term_longer_than_the_column_is_refused_on_the_term_field(actor):
    with pytest.raises(GovernmentTermInvalid) as error:
        actions.set_government_term(term="长" * 41, actor=actor)
    assert list(error.value.errors) == ["term"]
    assert not GovernmentTerm.objects.exists()


def test_setting_an_existing_term_changes_its_note_and_says_so(actor):
    first = actions.set_government_term(term="好差评", note="旧备注")
    again = actions.set_government_term(term="好差評", note="新备注", actor=actor)
    assert again.pk == first.pk and GovernmentTerm.objects.get().note == "新备注"
    event = AuditEvent.objects.filter(action="search.term.set").latest("pk")
    assert event.actor == actor
    assert event.data == {"term": "好差评", "note": "新备注", "created": False}


def test_deleting_a_government_term_is_audited_once(actor):
    term = actions.set_government_term(term="一网通办")
    actions.delete_government_term(term=term, actor=actor)
    actions.delete_government_term(term=term, actor=actor)
    assert not GovernmentTerm.objects.exists()
    assert only_event("search.term.deleted").data == {"term": "一网通办"}


# -- 推荐结果 ------------------------------------------------------------------------------------


def test_a_best_bet_keeps_one_trigger_per_line_without_repeats(actor):
    bet = actions.create_best_bet(queries=" 养老保险 \n\n社保\n养老保险\n", url="/banshi/items/A/",
                                  title=" 养老保险参保登记 ", description=" 在线办理 ",
                                  sort_order=2, actor=actor)
    assert (bet.queries, bet.title, bet.description, bet.sort_order) == (
        "养老保险\n社保", "养老保险参保登记", "在线办理", 2)
    event = only_event("search.best_bet.created")
    assert event.actor == actor and event.target_id == str(bet.pk)
    assert event.data == {"queries": "养老保险\n社保", "page": None, "url": "/banshi/items/A/",
                          "title": "养老保险参保登记", "is_active": True, "sort_order": 2}


@pytest.mark.parametrize("fields, expected", [
    ({"queries": " \n "}, {"queries": ["请至少填写一个触发词，每行一个。"]}),
    ({"queries": "长" * 101}, {"queries": ["每个触发词不超过 100 个字。"]}),
    ({"url": ""}, {"url": ["请选择页面或填写链接地址。"]}),
    ({"url": "javascript:alert(1)"},
     {"url": ["链接地址须以 / 开头（本站地址）或以 https:// 开头。"]}),
    ({"url": "//evil.example/path"},
     {"url": ["链接地址须以 / 开头（本站地址）或以 https:// 开头。"]}),
    ({"url": "http://example.com/"},
     {"url": ["链接地址须以 / 开头（本站地址）或以 https:// 开头。"]}),
    ({"title": " "}, {"title": ["填写链接地址时请填写标题。"]}),
    ({"queries": "", "url": "ftp://x"},
     {"queries": ["请至少填写一个触发词，每行一个。"],
      "url": ["链接地址须以 / 开头（本站地址）或以 https:// 开头。"]}),
])
def test_a_refused_best_bet_names_every_field_at_fault_and_writes_nothing(actor, fields,
                                                                          expected):
    values = {"queries": "公积金", "url": "/banshi/items/B/", "title": "公积金提取", **fields}
    with pytest.raises(BestBetInvalid) as error:
        actions.create_best_bet(**values, actor=actor)
    assert refusal(error) == expected
    assert not BestBet.objects.exists() and not AuditEvent.objects.exists()


def test_a_best_bet_description_longer_than_the_column_is_refused_on_its_field(actor):
    with pytest.raises(BestBetInvalid) as error:
        actions.create_best_bet(queries="公积金", url="/a/", title="公积金",
                                description="长" * 301, actor=actor)
    assert list(error.value.errors) == ["description"]
    assert not BestBet.objects.exists()


def test_a_best_bet_to_a_page_needs_no_address_or_title(actor):
    from wagtail.models import Page

    page = Page.objects.get(depth=1).add_child(instance=Page(title="住房公积金", slug="gjj"))
    bet = actions.create_best_bet(queries="公积金", page=page, actor=actor)
    assert (bet.url, bet.title, str(bet)) == ("", "", "住房公积金")
    assert only_event("search.best_bet.created").data["page"] == page.pk


def test_updating_a_best_bet_audits_before_and_after(actor):
    bet = actions.create_best_bet(queries="社保", url="/a/", title="社保")
    actions.update_best_bet(best_bet=bet, queries="社保\n社会保险", url="https://zwfw.example.cn/",
                            title="社会保险", sort_order=5, is_active=False, actor=actor)
    bet.refresh_from_db()
    assert (bet.queries, bet.url, bet.sort_order, bet.is_active) == (
        "社保\n社会保险", "https://zwfw.example.cn/", 5, False)
    event = only_event("search.best_bet.updated")
    assert event.data["before"]["url"] == "/a/" and event.data["after"]["sort_order"] == 5


def test_a_refused_best_bet_update_keeps_the_stored_bet(actor):
    bet = actions.create_best_bet(queries="社保", url="/a/", title="社保")
    with pytest.raises(BestBetInvalid) as error:
        actions.update_best_bet(best_bet=bet, queries="社保", url="", title="", actor=actor)
    assert list(error.value.errors) == ["url"]
    bet.refresh_from_db()
    assert bet.url == "/a/"
    assert not AuditEvent.objects.filter(action="search.best_bet.updated").exists()


def test_deleting_a_best_bet_is_audited_once(actor):
    bet = actions.create_best_bet(queries="社保", url="/a/", title="社保")
    actions.delete_best_bet(best_bet=bet, actor=actor)
    actions.delete_best_bet(best_bet=bet, actor=actor)
    assert not BestBet.objects.exists()
    assert only_event("search.best_bet.deleted").data["title"] == "社保"


# -- the tuning is re-read after a change commits ----------------------------------------------


@pytest.mark.parametrize("change", [
    lambda: actions.create_synonym(terms="医保，医疗保险"),
    lambda: actions.set_government_term(term="一网通办"),
    lambda: actions.create_best_bet(queries="社保", url="/a/", title="社保"),
])
def test_a_tuning_change_bumps_the_version_at_once_and_again_once_it_commits(
        django_capture_on_commit_callbacks, change):
    # Bumped again after the commit: a process that read the old rows under the version of
    # the first bump (before the commit) must not keep them.
    before = tuning_version()
    with django_capture_on_commit_callbacks(execute=True):
        change()
        during = tuning_version()
    assert before < during < tuning_version()


def test_a_tuning_change_rolled_back_schedules_nothing_after_commit(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        actions.create_synonym(terms="医保，医疗保险")
        transaction.set_rollback(True)
    assert callbacks == []
    assert not Synonym.objects.exists()


# -- analytics -----------------------------------------------------------------------------------


def test_searches_and_zero_results_are_counted_per_query_and_day():
    actions.record_search(query="养老保险", found=12)
    actions.record_search(query="  养老保险 ", found=0)
    actions.record_search(query="社保卡", found=0)
    rows = {row.query: row for row in QueryStatistic.objects.all()}
    assert set(rows) == {"养老保险", "社保卡"}
    assert (rows["养老保险"].searches, rows["养老保险"].zero_result_searches) == (2, 1)
    assert (rows["社保卡"].searches, rows["社保卡"].zero_result_searches) == (1, 1)
    assert rows["养老保险"].day == timezone.localdate()


def test_inner_white_space_is_collapsed_and_long_queries_are_cut():
    actions.record_search(query="养老\t保险   缴费", found=1)
    actions.record_search(query="长" * 150, found=0)
    assert sorted(QueryStatistic.objects.values_list("query", flat=True)) == [
        "养老 保险 缴费", "长" * 100]


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_an_empty_query_is_not_counted(query):
    actions.record_search(query=query, found=0)
    actions.record_result_click(query=query)
    assert not QueryStatistic.objects.exists()


def test_a_click_is_counted_on_the_query_of_the_day():
    actions.record_search(query="公积金", found=3)
    actions.record_result_click(query="公积金")
    actions.record_result_click(query="公积金")
    row = QueryStatistic.objects.get()
    assert (row.searches, row.zero_result_searches, row.clicks) == (1, 0, 2)


def test_counts_start_again_on_a_new_day():
    start = datetime.datetime(2026, 11, 22, 23, 59, 30, tzinfo=datetime.timezone(
        datetime.timedelta(hours=8)))
    with time_machine.travel(start, tick=False) as traveller:
        actions.record_search(query="公积金", found=3)
        traveller.shift(datetime.timedelta(minutes=1))
        actions.record_result_click(query="公积金")
    rows = list(QueryStatistic.objects.order_by("day").values_list(
        "day", "searches", "clicks"))
    assert rows == [(datetime.date(2026, 11, 22), 1, 0), (datetime.date(2026, 11, 23), 0, 1)]


def test_counting_is_not_audited_and_keeps_no_personal_data():
    actions.record_search(query="110101199003074578", found=0)
    assert not AuditEvent.objects.exists()
    assert {field.name for field in QueryStatistic._meta.get_fields()} == {
        "id", "day", "query", "searches", "zero_result_searches", "clicks"}
