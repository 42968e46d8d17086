"""What the disclosure catalogue adds to the search index: an article with a 主动公开 record is a
政府信息公开 document with its 索引号, 文号, category, validity and publishing body; withheld
records never make anything public; catalogue changes are recorded in the change log."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from chuangkou.disclosure.actions.catalogue import (
    add_catalogue_category,
    change_document_validity,
    rename_catalogue_category,
    set_catalogue_category_active,
    update_disclosure_record,
)
from chuangkou.disclosure.choices import DisclosureAttribute, Validity
from chuangkou.disclosure.search import disclosure_documents
from chuangkou.disclosure.tests.factories_catalogue import make_document, statutory
from chuangkou.organizations.tests.factories import make_body
from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import SearchDocument, build_documents
from chuangkou.search.testing import forget_recorded_changes as forget_changes
from chuangkou.search.testing import recorded_keys as recorded
from chuangkou.sitecluster.search import article_documents
from chuangkou.sitecluster.tests.factories import make_article, make_column

pytestmark = pytest.mark.django_db

WITHHELD = {"attribute": DisclosureAttribute.ON_REQUEST,
            "withheld_reason": "涉及第三方合法权益，依《条例》第十五条依申请公开。"}


def key(record) -> str:
    return f"page:{record.page_id}"


def update_values(record, **changes) -> dict:
    values = {name: getattr(record, name) for name in (
        "body", "category", "written_on", "formed_on", "document_number", "theme", "genre",
        "audience", "attribute", "withheld_reason", "method", "summary")}
    values.update(changes)
    return values


def test_article_with_a_proactive_record_becomes_a_disclosure_document(cluster):
    record = make_document(column=cluster.education_news, body=cluster.education,
                           title="示例市教育局关于规范校外培训的通知",
                           document_number="示教发〔2026〕3号", summary="规范校外培训机构收费")

    [document], gone = build_documents([key(record)])

    assert gone == set()
    assert document.type == DocumentType.DISCLOSURE_DOCUMENT
    assert document.index_number == record.index_number and record.index_number
    assert document.document_number == "示教发〔2026〕3号"
    assert document.category == "行政法规、规章和规范性文件"
    assert document.validity == "有效"
    assert (document.body_id, document.body_name) == (cluster.education.pk, "示例市教育局")
    assert document.keywords.endswith("规范校外培训机构收费")
    # What the article gave stays: title, address, site, columns.
    [article] = article_documents([str(record.page_id)])
    assert (document.title, document.url, document.site_id, document.column_ids, document.text) \
        == (article.title, article.url, article.site_id, article.column_ids, article.text)


def test_the_records_issuing_body_replaces_the_columns_responsible_body(cluster):
    # The column is kept by an office of the bureau; the bureau itself issued the document.
    office = make_body(parent=cluster.education, name="示例市教育局办公室", slug="jyj-office")
    column = make_column(parent=cluster.education_site.home_page, slug="policies",
                         responsible_body=office)
    record = make_document(column=column, body=cluster.education)
    assert article_documents([str(record.page_id)])[0].body_id == office.pk
    [document], _gone = build_documents([key(record)])
    assert (document.body_id, document.body_name) == (cluster.education.pk, "示例市教育局")


def test_a_repealed_document_carries_its_validity_label(cluster):
    record = make_document(column=cluster.health_news, body=cluster.health)
    forget_changes()
    change_document_validity(record=record, validity=Validity.REPEALED,
                             changed_on=date(2026, 4, 1))
    assert key(record) in recorded()
    [document], _gone = build_documents([key(record)])
    assert document.validity == "废止"


def test_a_draft_with_a_proactive_record_is_not_made_public(cluster):
    record = make_document(column=cluster.health_news, body=cluster.health, publish=False)
    assert build_documents([key(record)]) == ([], {key(record)})


def test_a_live_page_whose_record_is_withheld_is_left_out_of_the_index(cluster):
    record = make_document(column=cluster.health_news, body=cluster.health, **WITHHELD)
    assert not Page.objects.get(pk=record.page_id).live  # the action took it down...
    Page.objects.filter(pk=record.page_id).update(live=True)  # ...and something put it back
    assert build_documents([key(record)]) == ([], {key(record)})


def test_documents_of_other_sources_and_articles_without_a_record_pass_unchanged(cluster):
    article = make_article(column=cluster.health_news)
    [article_document] = article_documents([str(article.pk)])
    service = SearchDocument(key="service_item:7", type=DocumentType.SERVICE_ITEM, title="办事",
                             text="", url="/banshi/items/X/")
    odd = SearchDocument(key="page:abc", type=DocumentType.ARTICLE, title="?", text="", url="/")
    assert disclosure_documents([service, article_document, odd]) == [service, article_document,
                                                                       odd]
    with CaptureQueriesContext(connection) as context:
        assert disclosure_documents([service]) == [service]
    assert len(context.captured_queries) == 0


def test_enriching_a_batch_costs_one_query_whatever_its_size(cluster):
    records = [make_document(column=cluster.health_news, body=cluster.health)
               for _ in range(10)]
    documents = article_documents([str(record.page_id) for record in records])
    for batch in (documents[:1], documents):
        with CaptureQueriesContext(connection) as context:
            enriched = disclosure_documents(batch)
        assert len(context.captured_queries) == 1
        assert {document.type for document in enriched} == {DocumentType.DISCLOSURE_DOCUMENT}


def test_registering_updating_and_deleting_a_record_record_its_page(cluster):
    article = make_article(column=cluster.health_news)
    forget_changes()
    record = make_document(column=cluster.health_news, body=cluster.health)
    assert key(record) in recorded()
    forget_changes()
    update_disclosure_record(record=record, **update_values(record, summary="新的概述"))
    assert recorded() == {key(record)}
    forget_changes()
    record.delete()
    assert recorded() == {key(record)}
    assert f"page:{article.pk}" not in recorded()


def test_renaming_a_category_records_its_documents_but_switching_it_off_does_not(cluster):
    own = add_catalogue_category(body=cluster.health, name="卫生监督", code="supervision",
                                 parent=statutory("regulations"))
    filed = make_document(column=cluster.health_news, body=cluster.health, category=own)
    elsewhere = make_document(column=cluster.health_news, body=cluster.health)
    forget_changes()
    set_catalogue_category_active(category=own, active=False)
    assert recorded() == set()
    rename_catalogue_category(category=own, name="卫生监督执法")
    assert recorded() == {key(filed)}
    assert key(elsewhere) not in recorded()
    [document], _gone = build_documents([key(filed)])
    assert document.category == "卫生监督执法"
