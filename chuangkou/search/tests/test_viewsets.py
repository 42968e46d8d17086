"""搜索管理 in the admin: synonyms, government terms and best bets are kept by system
administrators through the actions (each change audited, a refusal shown on its field and
nothing saved); everyone else is refused with a real 403, anonymous visitors are sent to sign
in; the lists cost the same number of queries however many rows they show."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from chuangkou.core.models import AuditEvent
from chuangkou.organizations.choices import Role
from chuangkou.search import actions
from chuangkou.search.models import BestBet, GovernmentTerm, Synonym

pytestmark = pytest.mark.django_db

LOGIN = reverse("wagtailadmin_login")
SEARCH_MENU_ITEMS = {"search-synonyms", "search-government-terms", "search-best-bets",
                     "search-statistics", "search-index-status"}


@pytest.fixture
def administrator(cluster, client):
    user = cluster.user("city", Role.SYSTEM_ADMINISTRATOR)
    client.force_login(user)
    return user


@pytest.fixture
def tuning():
    """One row of each tuning table, as another administrator left them."""
    return {
        "synonym": actions.create_synonym(terms="医保，医疗保险", note="市医保局提供"),
        "term": actions.set_government_term(term="一网通办", note="政务服务品牌"),
        "best_bet": actions.create_best_bet(queries="养老保险\n社保", url="/banshi/items/PENSION/",
                                            title="城乡居民养老保险参保登记"),
    }


def routes(tuning) -> list[str]:
    urls = []
    for namespace, key in (("search_synonyms", "synonym"), ("search_terms", "term"),
                           ("search_best_bets", "best_bet")):
        pk = tuning[key].pk
        urls += [reverse(f"{namespace}:index"), reverse(f"{namespace}:add"),
                 reverse(f"{namespace}:edit", args=[pk]),
                 reverse(f"{namespace}:delete", args=[pk])]
    return urls


def audit(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("pk")


def synonym_form(**overrides) -> dict:
    return {"terms": "社保，社会保险", "note": "", "is_active": "on", **overrides}


def best_bet_form(**overrides) -> dict:
    return {"queries": "公积金\n住房公积金", "page": "", "url": "/banshi/items/HOUSING/",
            "title": "住房公积金提取", "description": "在线办理", "sort_order": "0",
            "is_active": "on", **overrides}


# -- who gets in ---------------------------------------------------------------------------------


def test_every_route_answers_the_system_administrator(client, administrator, tuning):
    for url in routes(tuning):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("body, role", [
    ("city", Role.AUDITOR),
    ("education", Role.EDITOR),
    ("education", Role.SITE_ADMINISTRATOR),
    ("city", Role.CONFIDENTIALITY_REVIEWER),
])
def test_staff_without_the_permission_get_a_real_403_everywhere(client, cluster, tuning, body,
                                                                role):
    client.force_login(cluster.user(body, role))
    for url in routes(tuning):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "医疗保险" not in response.content.decode()
    assert client.post(reverse("search_synonyms:add"), synonym_form()).status_code == 403
    assert client.post(reverse("search_synonyms:edit", args=[tuning["synonym"].pk]),
                       synonym_form(terms="医保，改写")).status_code == 403
    assert client.post(reverse("search_synonyms:delete",
                               args=[tuning["synonym"].pk])).status_code == 403
    assert client.post(reverse("search_terms:add"), {"term": "好差评"}).status_code == 403
    assert client.post(reverse("search_terms:delete",
                               args=[tuning["term"].pk])).status_code == 403
    assert client.post(reverse("search_best_bets:add"), best_bet_form()).status_code == 403
    assert client.post(reverse("search_best_bets:delete",
                               args=[tuning["best_bet"].pk])).status_code == 403
    assert list(Synonym.objects.values_list("terms", flat=True)) == ["医保，医疗保险"]
    assert list(GovernmentTerm.objects.values_list("term", flat=True)) == ["一网通办"]
    assert BestBet.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, tuning):
    for url in routes(tuning):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(LOGIN)


def test_the_search_menu_is_shown_to_the_system_administrator_only(cluster, administrator):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    search = {item.name: item for item in admin_menu.menu_items_for_request(request)}["search"]
    assert {item.name for item in search.menu.menu_items_for_request(request)} == (
        SEARCH_MENU_ITEMS)
    request.user = cluster.user("education", Role.SITE_ADMINISTRATOR)
    assert "search" not in {item.name for item in admin_menu.menu_items_for_request(request)}


# -- 同义词 --------------------------------------------------------------------------------------


def test_adding_a_synonym_goes_through_the_action_and_is_audited(client, administrator):
    response = client.post(reverse("search_synonyms:add"),
                           synonym_form(terms="社保、社会保险 社会保障", note="人社局"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    synonym = Synonym.objects.get()
    assert (synonym.terms, synonym.note, synonym.is_active) == (
        "社保，社会保险，社会保障", "人社局", True)
    event = audit("search.synonym.created")
    assert event.actor == administrator and event.target_id == str(synonym.pk)
    assert event.client_address == "127.0.0.1"
    assert event.data == {"terms": "社保，社会保险，社会保障", "note": "人社局", "is_active": True}


@pytest.mark.parametrize("terms, message", [
    ("医保", "同义词组至少需要两个不同的词"),
    ("医保，医保", "同义词组至少需要两个不同的词"),
    ("医保，" + "长" * 41, "每个词不超过 40 个字"),
    ("", "请填写同义词组"),
])
def test_a_refused_synonym_shows_the_message_on_its_field_and_saves_nothing(
        client, administrator, terms, message):
    response = client.post(reverse("search_synonyms:add"), synonym_form(terms=terms))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["terms"] and message in errors["terms"][0]
    assert message in response.content.decode()
    assert not Synonym.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="search.synonym").exists()


def test_the_synonym_list_is_searched_and_filtered(client, administrator):
    actions.create_synonym(terms="医保，医疗保险")
    actions.create_synonym(terms="公积金，住房公积金", is_active=False)
    index = reverse("search_synonyms:index")
    assert [str(row) for row in client.get(index).context["object_list"]] == [
        "公积金，住房公积金", "医保，医疗保险"]
    assert [str(row) for row in client.get(index, {"q": "医疗"}).context["object_list"]] == [
        "医保，医疗保险"]
    assert [str(row) for row in client.get(index, {"is_active": "False"})
            .context["object_list"]] == ["公积金，住房公积金"]


def test_editing_a_synonym_records_before_and_after(client, administrator, tuning):
    synonym = tuning["synonym"]
    url = reverse("search_synonyms:edit", args=[synonym.pk])
    assert "市医保局提供" in client.get(url).content.decode()
    response = client.post(url, synonym_form(terms="医保，医疗保险，基本医疗保险", note="",
                                             is_active=""))
    assert response.status_code == 302, response.context and response.context["form"].errors
    synonym.refresh_from_db()
    assert (synonym.terms, synonym.is_active) == ("医保，医疗保险，基本医疗保险", False)
    event = audit("search.synonym.updated")
    assert event.actor == administrator
    assert event.data["before"] == {"terms": "医保，医疗保险", "note": "市医保局提供",
                                    "is_active": True}
    assert event.data["after"]["is_active"] is False


def test_saving_an_unchanged_synonym_writes_no_audit_record(client, administrator, tuning):
    response = client.post(reverse("search_synonyms:edit", args=[tuning["synonym"].pk]),
                           synonym_form(terms="医保，医疗保险", note="市医保局提供"))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="search.synonym.updated").exists()


def test_a_refused_synonym_edit_keeps_the_stored_group(client, administrator, tuning):
    response = client.post(reverse("search_synonyms:edit", args=[tuning["synonym"].pk]),
                           synonym_form(terms="医保"))
    assert response.status_code == 200
    assert "terms" in response.context["form"].errors
    assert Synonym.objects.get().terms == "医保，医疗保险"


def test_deleting_a_synonym_goes_through_the_action_and_is_audited(client, administrator,
                                                                   tuning):
    url = reverse("search_synonyms:delete", args=[tuning["synonym"].pk])
    assert "删除后检索时不再互相扩展" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Synonym.objects.exists()
    event = audit("search.synonym.deleted")
    assert event.actor == administrator and event.data["terms"] == "医保，医疗保险"


# -- 政务词库 ------------------------------------------------------------------------------------


def test_the_term_list_says_old_documents_need_a_rebuild(client, administrator, tuning):
    html = client.get(reverse("search_terms:index")).content.decode()
    assert "一网通办" in html and "manage.py rebuild_search_index" in html
    assert "manage.py rebuild_search_index" in client.get(
        reverse("search_terms:add")).content.decode()


def test_adding_a_term_stores_it_normalised_and_is_audited(client, administrator):
    response = client.post(reverse("search_terms:add"), {"term": "好差評", "note": "评价制度"},
                           follow=True)
    assert response.status_code == 200
    term = GovernmentTerm.objects.get()
    assert (term.term, term.note) == ("好差评", "评价制度")
    assert "rebuild_search_index" in " ".join(str(m) for m in response.context["messages"])
    event = audit("search.term.set")
    assert event.actor == administrator
    assert event.data == {"term": "好差评", "note": "评价制度", "created": True}


@pytest.mark.parametrize("term, message", [
    ("办", "词语至少两个字"),
    ("一网-通办", "只能包含汉字、字母和数字"),
    ("   ", "请输入词语"),
    ("长" * 41, "词语不超过 40 个字"),
])
def test_a_refused_term_shows_the_message_on_its_field_and_saves_nothing(
        client, administrator, term, message):
    response = client.post(reverse("search_terms:add"), {"term": term, "note": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["term"] and message in errors["term"][0], errors
    assert not GovernmentTerm.objects.exists()
    assert not AuditEvent.objects.filter(action="search.term.set").exists()


def test_adding_a_term_already_in_the_dictionary_is_refused_not_overwritten(
        client, administrator, tuning):
    response = client.post(reverse("search_terms:add"), {"term": "一網通辦", "note": "改写"})
    assert response.status_code == 200
    assert "已在词库中" in response.context["form"].errors["term"][0]
    assert GovernmentTerm.objects.get().note == "政务服务品牌"


def test_editing_a_term_changes_its_note_but_never_the_word(client, administrator, tuning):
    term = tuning["term"]
    response = client.post(reverse("search_terms:edit", args=[term.pk]),
                           {"term": "改了的词", "note": "浙江省政务服务品牌"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    term.refresh_from_db()
    assert (term.term, term.note) == ("一网通办", "浙江省政务服务品牌")
    assert not GovernmentTerm.objects.filter(term="改了的词").exists()
    event = audit("search.term.set")
    assert event.data == {"term": "一网通办", "note": "浙江省政务服务品牌", "created": False}


def test_deleting_a_term_goes_through_the_action_and_is_audited(client, administrator, tuning):
    url = reverse("search_terms:delete", args=[tuning["term"].pk])
    assert "rebuild_search_index" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not GovernmentTerm.objects.exists()
    assert audit("search.term.deleted").data == {"term": "一网通办"}


# -- 推荐结果 ------------------------------------------------------------------------------------


def test_adding_a_best_bet_to_an_address_is_audited(client, administrator):
    response = client.post(reverse("search_best_bets:add"), best_bet_form())
    assert response.status_code == 302, response.context and response.context["form"].errors
    bet = BestBet.objects.get()
    assert (bet.queries, bet.url, bet.title, bet.page) == (
        "公积金\n住房公积金", "/banshi/items/HOUSING/", "住房公积金提取", None)
    event = audit("search.best_bet.created")
    assert event.actor == administrator and event.target_id == str(bet.pk)
    assert event.data["url"] == "/banshi/items/HOUSING/"


def test_a_best_bet_can_point_at_a_chosen_page(client, administrator, cluster):
    page = cluster.health_article
    add = reverse("search_best_bets:add")
    assert 'id="id_page"' in client.get(add).content.decode()  # the page chooser
    response = client.post(add, best_bet_form(page=str(page.pk), url="", title=""))
    assert response.status_code == 302, response.context and response.context["form"].errors
    bet = BestBet.objects.get()
    assert bet.page_id == page.pk and bet.url == ""
    assert str(bet) == page.title
    assert audit("search.best_bet.created").data["page"] == page.pk


@pytest.mark.parametrize("overrides, field, message", [
    ({"queries": "  \n "}, "queries", "请至少填写一个触发词"),
    ({"queries": "长" * 101}, "queries", "每个触发词不超过 100 个字"),
    ({"url": ""}, "url", "请选择页面或填写链接地址"),
    ({"url": "javascript:alert(1)"}, "url", "链接地址须以 / 开头"),
    ({"url": "//evil.example/"}, "url", "链接地址须以 / 开头"),
    ({"url": "http://example.com/"}, "url", "链接地址须以 / 开头"),
    ({"title": ""}, "title", "填写链接地址时请填写标题"),
    ({"sort_order": "-1"}, "sort_order", "排序须为 0 到 32767 之间的整数"),
    ({"sort_order": "第一"}, "sort_order", "排序须为 0 到 32767 之间的整数"),
    ({"page": "999999", "url": ""}, "page", "所选页面不存在"),
])
def test_a_refused_best_bet_shows_the_message_on_its_field_and_saves_nothing(
        client, administrator, overrides, field, message):
    response = client.post(reverse("search_best_bets:add"), best_bet_form(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert not BestBet.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="search.best_bet").exists()


def test_editing_a_best_bet_records_before_and_after(client, administrator, tuning, cluster):
    bet = tuning["best_bet"]
    url = reverse("search_best_bets:edit", args=[bet.pk])
    assert "/banshi/items/PENSION/" in client.get(url).content.decode()
    response = client.post(url, best_bet_form(
        queries="养老保险", page=str(cluster.portal_news.pk), url="", title="",
        sort_order="3", is_active=""))
    assert response.status_code == 302, response.context and response.context["form"].errors
    bet.refresh_from_db()
    assert (bet.queries, bet.page_id, bet.url, bet.sort_order, bet.is_active) == (
        "养老保险", cluster.portal_news.pk, "", 3, False)
    event = audit("search.best_bet.updated")
    assert event.actor == administrator
    assert event.data["before"]["url"] == "/banshi/items/PENSION/"
    assert event.data["after"]["page"] == cluster.portal_news.pk


def test_saving_an_unchanged_best_bet_writes_no_audit_record(client, administrator, tuning):
    bet = tuning["best_bet"]
    response = client.post(reverse("search_best_bets:edit", args=[bet.pk]), best_bet_form(
        queries="养老保险\n社保", url="/banshi/items/PENSION/", title="城乡居民养老保险参保登记",
        description=""))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="search.best_bet.updated").exists()


def test_deleting_a_best_bet_goes_through_the_action_and_is_audited(client, administrator,
                                                                    tuning):
    url = reverse("search_best_bets:delete", args=[tuning["best_bet"].pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not BestBet.objects.exists()
    assert audit("search.best_bet.deleted").data["title"] == "城乡居民养老保险参保登记"


def test_the_best_bet_list_says_when_a_chosen_page_is_not_published(client, administrator,
                                                                    cluster):
    cluster.education_article.unpublish()
    actions.create_best_bet(queries="开学", page=cluster.education_article)
    actions.create_best_bet(queries="健康", page=cluster.health_article)
    html = client.get(reverse("search_best_bets:index")).content.decode()
    assert f"页面：{cluster.education_article.title}（未发布，暂不显示）" in html
    assert f"页面：{cluster.health_article.title}</td>" in html.replace("\n", "").replace(
        "  ", "")


# -- cost of the lists ---------------------------------------------------------------------------


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_rows(start: int, count: int, cluster) -> None:
    pages = [cluster.health_article, cluster.education_article, cluster.portal_news]
    for number in range(start, start + count):
        actions.create_synonym(terms=f"词{number}甲，词{number}乙")
        actions.set_government_term(term=f"政务词{number}")
        if number % 2:
            actions.create_best_bet(queries=f"推荐{number}", page=pages[number % 3])
        else:
            actions.create_best_bet(queries=f"推荐{number}", url=f"/p/{number}/",
                                    title=f"推荐{number}")


@pytest.mark.parametrize("namespace", ["search_synonyms", "search_terms", "search_best_bets"])
def test_a_list_costs_the_same_queries_for_few_rows_as_for_many(client, administrator,
                                                                cluster, namespace):
    url = reverse(f"{namespace}:index")
    _add_rows(0, 3, cluster)
    client.get(url)  # warm the per-process caches (content types, site root paths)
    few = _queries_for(client, url)
    _add_rows(3, 27, cluster)
    assert _queries_for(client, url) == few
