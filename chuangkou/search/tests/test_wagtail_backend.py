"""The Wagtail search backend on Tantivy: Chinese words found in pages, documents and images,
model and queryset restrictions, read-your-writes through the change log, rebuilding, and
queries that must never fail."""

from __future__ import annotations

import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Fuzzy, MatchAll, Not, Phrase, PlainText

from chuangkou.search import wagtail_backend
from chuangkou.search.models import IndexChange
from chuangkou.search.wagtail_backend import (
    AdminIndexStore,
    SearchFieldError,
    apply_changes,
    get_admin_store,
    index_key,
    rebuild_index,
)
from chuangkou.sitecluster.models import ArticlePage, ColumnPage
from chuangkou.sitecluster.tests.factories import make_article, make_column

pytestmark = pytest.mark.django_db

BACKEND = "chuangkou.search.wagtail_backend"


@pytest.fixture
def wagtail_search(settings, search_index):
    """Wagtail's default search backend is this one, with an index of the test's own."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": BACKEND}}
    return search_index


def pks(results) -> list[int]:
    return [obj.pk for obj in results]


def article(cluster, title: str, body: str = "<p>示例正文。</p>", *, column=None, **extra):
    return make_article(column=column or cluster.health_news, title=title, body=body, **extra)


# Pages ----------------------------------------------------------------------------------


def test_page_search_finds_pages_whose_titles_hold_the_word_and_no_others(cluster,
                                                                          wagtail_search):
    fire = article(cluster, "关于开展消防安全检查的公告")
    enrolment = article(cluster, "市教育局二〇二五年招生公告", column=cluster.education_news)
    trees = article(cluster, "春季义务植树活动通知")

    found = pks(Page.objects.search("公告"))

    assert sorted(found) == sorted([fire.pk, enrolment.pk])
    assert trees.pk not in pks(Page.objects.search("公告"))


def test_a_page_search_finds_every_page_type_and_a_specific_search_only_its_own(
        cluster, wagtail_search):
    column = make_column(parent=cluster.health_site.home_page, title="通知公告", slug="tzgg")
    notice = article(cluster, "停水通知")

    assert set(pks(Page.objects.search("通知"))) == {column.pk, notice.pk}
    assert pks(ArticlePage.objects.search("通知")) == [notice.pk]
    assert pks(ColumnPage.objects.search("通知")) == [column.pk]


def test_live_filter_keeps_drafts_out(cluster, wagtail_search):
    published = article(cluster, "燃气安全使用提示")
    draft = article(cluster, "燃气价格调整方案", publish=False)

    assert pks(ArticlePage.objects.live().search("燃气")) == [published.pk]
    assert set(pks(Page.objects.search("燃气"))) == {published.pk, draft.pk}


def test_queryset_filters_are_applied_to_what_the_index_found(cluster, wagtail_search):
    health = article(cluster, "冬季流感防控指南")
    education = article(cluster, "校园流感防控要求", column=cluster.education_news)

    in_health_site = Page.objects.descendant_of(cluster.health_site.home_page).search("流感")
    at_article_depth = Page.objects.filter(depth=health.depth).search("流感")
    not_this_one = Page.objects.exclude(pk=health.pk).search("流感")

    assert pks(in_health_site) == [health.pk]
    assert set(pks(at_article_depth)) == {health.pk, education.pk}
    assert pks(not_this_one) == [education.pk]


def test_traditional_and_full_width_queries_find_simplified_text(cluster, wagtail_search):
    pension = article(cluster, "城乡居民养老保险参保登记")

    assert pks(Page.objects.search("養老保險")) == [pension.pk]
    assert pks(Page.objects.search("参保登记")) == [pension.pk]


def test_body_text_is_searched_and_a_title_match_ranks_first(cluster, wagtail_search):
    in_body = article(cluster, "卫生健康工作简报", "<p>本周完成疫苗接种三千人次。</p>")
    in_title = article(cluster, "疫苗接种点公布")

    assert pks(ArticlePage.objects.search("疫苗")) == [in_title.pk, in_body.pk]


def test_long_word_held_in_pieces_is_found_through_its_parts(cluster, wagtail_search):
    """The body says 医疗 and 保险 apart; a query for 医疗保险 still finds it (ranked below a
    page holding the whole word)."""
    whole = article(cluster, "医疗保险报销指南")
    pieces = article(cluster, "就医须知", "<p>商业保险与基本医疗的衔接说明。</p>")

    assert pks(ArticlePage.objects.search("医疗保险")) == [whole.pk, pieces.pk]


def test_operator_and_needs_every_word_or_needs_one(cluster, wagtail_search):
    both = article(cluster, "防汛抗旱工作部署")
    flood = article(cluster, "防汛物资储备")

    assert pks(ArticlePage.objects.search("防汛 抗旱", operator="and")) == [both.pk]
    assert set(pks(ArticlePage.objects.search("防汛 抗旱", operator="or"))) == {both.pk, flood.pk}


def test_query_classes_phrase_not_fuzzy_and_match_all(cluster, wagtail_search):
    safety = article(cluster, "食品安全抽检结果")
    other = article(cluster, "安全生产月活动", "<p>食品企业安全员参加。</p>")
    english = article(cluster, "Vaccination schedule 接种时间表")

    assert pks(ArticlePage.objects.search(Phrase("食品安全"))) == [safety.pk]
    assert pks(ArticlePage.objects.search(PlainText("安全") & Not(PlainText("抽检")))) == [
        other.pk]
    assert set(pks(ArticlePage.objects.search(PlainText("安全") | PlainText("接种")))) == {
        safety.pk, other.pk, english.pk}
    assert pks(ArticlePage.objects.search(Fuzzy("vacination"))) == [english.pk]
    everything = ArticlePage.objects.filter(pk__in=[safety.pk, other.pk]).search(MatchAll())
    assert set(pks(everything)) == {safety.pk, other.pk}


def test_fields_keep_the_search_to_the_fields_named(cluster, wagtail_search):
    in_title = article(cluster, "交通管制公告")
    in_body = article(cluster, "马拉松赛事安排", "<p>比赛当日实施交通管制。</p>")

    assert set(pks(ArticlePage.objects.search("交通管制"))) == {in_title.pk, in_body.pk}
    assert pks(ArticlePage.objects.search("交通管制", fields=["title"])) == [in_title.pk]
    assert pks(ArticlePage.objects.search("交通管制", fields=["body"])) == [in_body.pk]
    with pytest.raises(SearchFieldError):
        ArticlePage.objects.search("交通管制", fields=["source"])


def test_autocomplete_finds_a_prefix_of_the_last_word(cluster, wagtail_search):
    fire = article(cluster, "消防安全检查通知")
    article(cluster, "消费者权益保护")

    assert pks(Page.objects.autocomplete("消防安")) == [fire.pk]
    assert pks(Page.objects.autocomplete("检查通")) == [fire.pk]
    assert len(Page.objects.autocomplete("消")) == 2


def test_autocomplete_finds_a_word_the_title_holds_in_pieces(cluster, wagtail_search):
    """系统安全生产 segments as 系统安全 / 生产; 安全生产 typed whole still finds it."""
    notice = article(cluster, "卫健系统安全生产通知")

    assert pks(Page.objects.autocomplete("安全生产")) == [notice.pk]
    assert pks(Page.objects.search("安全生产")) == [notice.pk]


def test_results_count_slice_and_keep_relevance_order(cluster, wagtail_search):
    created = [article(cluster, f"第{number}批人才引进公告", slug=f"talent-{number}")
               for number in range(7)]

    results = ArticlePage.objects.search("人才引进")

    assert results.count() == 7 and len(results) == 7
    assert len(results[2:5]) == 3 and results[2:5].count() == 3
    assert results[5:].count() == 2
    assert pks(results[:3]) + pks(results[3:]) == pks(results)
    assert set(pks(results)) == {page.pk for page in created}


def test_order_by_relevance_false_keeps_the_queryset_order(cluster, wagtail_search):
    titles = ["C区水质公告", "A区水质公告", "B区水质公告"]
    for title in titles:
        article(cluster, title)

    results = ArticlePage.objects.order_by("title").search("水质", order_by_relevance=False)

    assert [page.title for page in results] == sorted(titles)


def test_max_results_caps_the_matches_to_the_best(cluster, wagtail_search, settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": BACKEND, "MAX_RESULTS": 2}}
    best = article(cluster, "垃圾分类", "<p>垃圾分类。</p>")
    for number in range(3):
        article(cluster, f"社区通知{number}", "<p>请做好垃圾分类。</p>", slug=f"notice-{number}")

    results = ArticlePage.objects.search("垃圾分类")

    assert results.count() == 2
    assert pks(results)[0] == best.pk


def test_a_selective_queryset_is_searched_among_its_own_objects(cluster, wagtail_search,
                                                               settings):
    """The best matches are all outside the queryset (another site) and the scan gives up;
    the queryset is small, so the index is searched among exactly its objects."""
    limits = {"BACKEND": BACKEND, "MAX_RESULTS": 2, "SCAN_LIMIT": 2}
    settings.WAGTAILSEARCH_BACKENDS = {"default": limits}
    for number in range(3):
        article(cluster, f"秋季招生考试{number}", "<p>招生考试。</p>",
                column=cluster.education_news, slug=f"exam-{number}")
    health = article(cluster, "体检通知", "<p>招生考试体检安排。</p>")
    health_pages = Page.objects.descendant_of(cluster.health_site.home_page)

    assert pks(health_pages.search("招生考试")) == [health.pk]
    settings.WAGTAILSEARCH_BACKENDS = {"default": {**limits, "PK_FILTER_LIMIT": 1}}
    assert pks(health_pages.search("招生考试")) == []  # the documented limit


def test_facet_counts_the_matches_by_content_type(cluster, wagtail_search):
    make_column(parent=cluster.health_site.home_page, title="职业健康", slug="zyjk")
    article(cluster, "职业健康讲座")
    article(cluster, "职业健康体检通知")

    facets = Page.objects.search("职业健康").facet("content_type_id")

    article_type, column_type = (ContentType.objects.get_for_model(model)
                                 for model in (ArticlePage, ColumnPage))
    assert list(facets.items()) == [(article_type.pk, 2), (column_type.pk, 1)]


def test_annotate_score_sets_the_score_on_each_result(cluster, wagtail_search):
    article(cluster, "义务教育入学登记")

    results = list(ArticlePage.objects.search("入学").annotate_score("_score"))

    assert results and results[0]._score > 0


@pytest.mark.parametrize("query", [
    "", " ", "！？。，、", "\"\"", "'", "AND OR NOT", "+-&|!(){}[]^~*?:\\/", "*", "%_%",
    "\x00", "\ud800公告", "公告" * 5000,
])
def test_punctuation_operators_and_huge_queries_return_quickly_without_error(
        cluster, wagtail_search, query):
    article(cluster, "公告栏管理办法")

    started = time.monotonic()
    results = Page.objects.search(query)
    found = list(results)
    completed = list(Page.objects.autocomplete(query))

    assert time.monotonic() - started < 1.0
    if not any(char.isalnum() for char in query):
        assert found == [] and completed == []


# Documents and images ----------------------------------------------------------------------


def test_documents_are_found_by_chinese_title_and_tag(wagtail_search):
    Document = get_document_model()
    plan = Document.objects.create(title="二〇二五年防汛应急预案",
                                   file=ContentFile(b"%PDF-1.4", name="plan.pdf"))
    other = Document.objects.create(title="财政预算报告",
                                    file=ContentFile(b"%PDF-1.4", name="budget.pdf"))
    other.tags.add("防汛物资")
    other.save()

    assert pks(Document.objects.search("应急预案")) == [plan.pk]
    assert set(pks(Document.objects.search("防汛"))) == {plan.pk, other.pk}


def test_images_are_found_by_chinese_title(wagtail_search):
    Image = get_image_model()
    bridge = Image.objects.create(title="长江大桥夜景", file=get_test_image_file())
    Image.objects.create(title="城市公园", file=get_test_image_file())

    assert pks(Image.objects.search("大桥")) == [bridge.pk]
    assert pks(Image.objects.autocomplete("长江")) == [bridge.pk]


# Writes through the change log -------------------------------------------------------------


def test_saving_logs_the_key_and_leaves_the_index_to_the_replica(cluster, wagtail_search,
                                                                 settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": BACKEND,
                                                  "READ_YOUR_WRITES": False}}
    page = article(cluster, "残疾人两项补贴申领")

    assert IndexChange.objects.filter(key=index_key(page)).exists()
    assert pks(Page.objects.search("补贴")) == []  # nothing applied yet
    wagtail_search.apply()
    assert pks(Page.objects.search("补贴")) == [page.pk]


def test_a_page_saved_then_searched_is_found_and_deleted_is_gone(cluster, wagtail_search):
    page = article(cluster, "临时停车场启用")
    assert pks(Page.objects.search("停车场")) == [page.pk]

    page.title = "临时充电站启用"
    page.save_revision().publish()
    assert pks(Page.objects.search("充电站")) == [page.pk]
    assert pks(Page.objects.search("停车场")) == []

    page.delete()
    assert pks(Page.objects.search("充电站")) == []


def test_a_search_leaves_a_long_backlog_to_the_follower(cluster, wagtail_search, monkeypatch):
    monkeypatch.setattr(wagtail_backend, "CATCH_UP_MAX_PENDING", 1)
    page = article(cluster, "城市更新行动方案")

    assert pks(Page.objects.search("城市更新")) == []  # several entries wait: not applied here
    wagtail_search.apply()
    assert pks(Page.objects.search("城市更新")) == [page.pk]


def test_reset_indexes_empties_the_index(cluster, wagtail_search):
    page = article(cluster, "农村危房改造")
    assert pks(Page.objects.search("危房")) == [page.pk]

    get_search_backend().reset_indexes()

    assert get_admin_store().current().searcher().num_docs == 0


def test_key_of_a_plain_page_instance_names_its_specific_type(cluster, wagtail_search):
    page = article(cluster, "地名普查")
    plain = Page.objects.get(pk=page.pk)

    assert index_key(plain) == f"wagtail:sitecluster.articlepage:{page.pk}"


def test_apply_changes_removes_what_no_longer_exists_and_ignores_bad_keys(cluster,
                                                                         wagtail_search):
    page = article(cluster, "河道清淤工程")
    wagtail_search.apply()
    ArticlePage.objects.filter(pk=page.pk).update(title="改名")  # no signal: index is stale
    apply_changes([index_key(page), "wagtail:nosuch.model:1", "wagtail:broken",
                   "wagtail:sitecluster.articlepage:not-a-number", "page:1"])

    assert pks(Page.objects.search("清淤")) == []
    assert pks(Page.objects.search("改名")) == [page.pk]


def test_applying_changes_costs_one_query_per_model_however_many_objects(cluster,
                                                                        wagtail_search):
    def queries_to_apply(keys):
        with CaptureQueriesContext(connection) as captured:
            apply_changes(keys)
        return len(captured)

    column = make_column(parent=cluster.health_site.home_page, title="便民服务", slug="bmfw")
    pages = [article(cluster, f"便民服务第{number}期", slug=f"service-{number}")
             for number in range(4)]

    few = queries_to_apply([index_key(column), index_key(pages[0])])
    many = queries_to_apply([index_key(column), *(index_key(page) for page in pages)])

    assert few == many <= 2
    assert len(Page.objects.search("便民服务")) == 5


# Rebuilding ------------------------------------------------------------------------------


def test_update_index_rebuilds_from_scratch(cluster, wagtail_search):
    page = article(cluster, "高温天气防暑降温提示")
    wagtail_search.apply()
    store = get_admin_store()
    before = store._read_link()
    with store.writing(store.current()) as writer:
        writer.delete_all_documents()  # an index that lost everything
    assert pks(Page.objects.search("防暑")) == []

    call_command("update_index", verbosity=0)

    assert store._read_link() != before
    assert pks(Page.objects.search("防暑")) == [page.pk]
    assert cluster.health_news.pk in pks(Page.objects.search("卫健动态"))  # built before


def test_rebuild_reapplies_changes_logged_while_it_ran(cluster, wagtail_search, monkeypatch):
    """A page edited after the rebuild read it, whose change the replica applied to the old
    generation before the flip, is right in the new generation too."""
    page = article(cluster, "老旧小区改造")
    add_items = wagtail_backend._RebuildingIndex.add_items

    def add_then_edit(self, model, items):
        add_items(self, model, items)
        if model is ArticlePage and page.title == "老旧小区改造":
            page.title = "老旧小区加装电梯"
            page.save_revision().publish()
            wagtail_search.apply()  # the replica applies it to the generation still current

    monkeypatch.setattr(wagtail_backend._RebuildingIndex, "add_items", add_then_edit)
    count = rebuild_index()

    assert count >= 1
    assert pks(Page.objects.search("电梯")) == [page.pk]
    assert pks(Page.objects.search("改造")) == []


def test_a_reader_notices_a_generation_published_by_another_store(cluster, wagtail_search):
    page = article(cluster, "公共自行车站点调整")
    wagtail_search.apply()
    reader = AdminIndexStore(get_admin_store().root)  # as another process would hold it
    assert reader.current().searcher().num_docs >= 1

    writer_side = get_admin_store()
    name, _ = writer_side.new_generation()
    writer_side.publish(name)

    assert reader.current().searcher().num_docs == 0
    assert pks(Page.objects.search("自行车")) == []  # the empty generation is current
    rebuild_index()
    assert reader.current().searcher().num_docs >= 1
    assert pks(Page.objects.search("自行车")) == [page.pk]


def test_search_backend_is_configured_by_module_path(wagtail_search):
    backend = get_search_backend()

    assert isinstance(backend, wagtail_backend.TantivySearchBackend)
    assert backend.max_results == wagtail_backend.DEFAULT_MAX_RESULTS
