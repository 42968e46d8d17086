"""What the site cluster indexes (检索): public articles as search documents, and the change log
entries that keep every index replica current when articles, columns, sites and view
restrictions change."""

from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from chuangkou.organizations.tests.factories import make_body
from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import build_documents, get_source
from chuangkou.search.testing import forget_recorded_changes as forget_changes
from chuangkou.search.testing import recorded_keys as recorded
from chuangkou.sitecluster import actions
from chuangkou.sitecluster.choices import SubmissionStatus
from chuangkou.sitecluster.models import ArticleAttachment, ArticleSubmission
from chuangkou.sitecluster.search import article_documents, iter_article_documents, plain_text
from chuangkou.sitecluster.tests.factories import make_article, make_column

pytestmark = pytest.mark.django_db


def key(page) -> str:
    return f"page:{page.pk}"


def only_document(page):
    [document] = article_documents([str(page.pk)])
    return document


# Plain text -----------------------------------------------------------------------------------


def test_plain_text_keeps_words_split_by_inline_tags_whole_and_separates_paragraphs():
    html = ("<p>城乡居民<b>养老</b>保险&nbsp;办理</p><p>第二段&lt;通知&gt;</p>"
            "<ul><li>一</li><li>二</li></ul>第三行<br/>第四行<script>alert(1)</script>")
    assert plain_text(html) == "城乡居民养老保险 办理 第二段<通知> 一 二 第三行 第四行"


def test_plain_text_of_empty_rich_text_is_empty():
    assert plain_text("") == "" and plain_text("<p></p>") == ""


# Documents ------------------------------------------------------------------------------------


def test_public_article_becomes_an_article_document_with_text_keywords_and_local_date(cluster):
    article = make_article(
        column=cluster.education_news, title="示例市教育局关于秋季学期开学的通知",
        subtitle="面向全市中小学", summary="明确开学时间", keywords="开学 秋季",
        body="<p>各区<b>教育</b>局：</p><p>现将有关事项通知如下。</p>",
        # 16:30 UTC is the next morning in Beijing: the document's date is the local one.
        publication_date=datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    document_model = get_document_model()
    attached = document_model.objects.create(title="开学安排表",
                                             file=ContentFile(b"%PDF-1.4", name="a.pdf"))
    ArticleAttachment.objects.create(article=article, document=attached, title="")
    ArticleAttachment.objects.create(article=article, document=attached, title="校历")

    document = only_document(article)

    assert document.key == key(article)
    assert document.type == DocumentType.ARTICLE
    assert document.title == "示例市教育局关于秋季学期开学的通知"
    assert document.text == "各区教育局： 现将有关事项通知如下。 开学安排表 校历"
    assert document.keywords == "面向全市中小学 明确开学时间 开学 秋季"
    assert document.date.isoformat() == "2026-03-02"
    assert document.url == f"/jyj/news/{article.slug}/"
    assert document.site_id == cluster.education_site.pk
    assert document.site_name == "示例市教育局"
    assert document.column_ids == (cluster.education_news.pk,)
    assert (document.body_id, document.body_name) == (cluster.education.pk, "示例市教育局")


def test_article_of_a_site_on_its_own_hostname_has_a_full_url(cluster):
    article = make_article(column=cluster.district_news)
    document = only_document(article)
    assert document.url == f"http://dongcheng.localhost/news/{article.slug}/"
    assert document.site_id == cluster.district_site.pk


def test_article_on_the_portal_has_a_path(cluster):
    article = make_article(column=cluster.portal_news)
    document = only_document(article)
    assert document.url == f"/news/{article.slug}/"
    assert document.site_id == cluster.portal.pk
    assert document.body_id == cluster.city.pk


def test_nested_columns_are_all_in_scope_and_the_nearest_responsible_body_publishes(cluster):
    office = make_body(parent=cluster.education, name="示例市教育局基础教育处", slug="jichu")
    policies = make_column(parent=cluster.education_news, title="政策", slug="policies")
    primary = make_column(parent=policies, title="小学", slug="primary",
                          responsible_body=office)
    grade_one = make_column(parent=primary, title="一年级", slug="grade-one")
    article = make_article(column=grade_one)

    document = only_document(article)

    assert document.column_ids == (cluster.education_news.pk, policies.pk, primary.pk,
                                   grade_one.pk)
    assert (document.body_id, document.body_name) == (office.pk, "示例市教育局基础教育处")


def test_column_without_a_responsible_body_falls_back_to_the_sites_owner(cluster):
    column = make_column(parent=cluster.health_site.home_page, title="通知", slug="notices")
    article = make_article(column=column)
    document = only_document(article)
    assert (document.body_id, document.body_name) == (cluster.health.pk, "示例市卫生健康委员会")


def test_article_adopted_into_a_portal_column_is_in_that_columns_scope(cluster):
    article = cluster.education_article
    ArticleSubmission.objects.create(article=article, target_column=cluster.portal_news,
                                     submitting_body=cluster.education,
                                     status=SubmissionStatus.ADOPTED)
    declined = make_column(parent=cluster.portal.home_page, title="要闻", slug="headlines")
    ArticleSubmission.objects.create(article=article, target_column=declined,
                                     submitting_body=cluster.education,
                                     status=SubmissionStatus.DECLINED, decline_reason="重复")

    document = only_document(article)

    assert set(document.column_ids) == {cluster.education_news.pk, cluster.portal_news.pk}
    assert document.site_id == cluster.education_site.pk  # it still belongs to its own site


def test_drafts_unpublished_and_restricted_articles_are_not_documents_and_become_deletions(
        cluster):
    public = make_article(column=cluster.health_news)
    draft = make_article(column=cluster.health_news, publish=False)
    withdrawn = make_article(column=cluster.health_news)
    withdrawn.unpublish()
    private_column = make_column(parent=cluster.health_site.home_page, slug="internal")
    private = make_article(column=private_column)
    PageViewRestriction.objects.create(page=private_column,
                                       restriction_type=PageViewRestriction.LOGIN)

    documents, gone = build_documents([key(public), key(draft), key(withdrawn), key(private)])

    assert [document.key for document in documents] == [key(public)]
    assert gone == {key(draft), key(withdrawn), key(private)}


def test_deleted_unknown_and_malformed_ids_become_deletions(cluster):
    article = make_article(column=cluster.health_news)
    article_key = key(article)
    article.delete()
    documents, gone = build_documents([article_key, "page:abc", "page:", "page:-1",
                                       f"page:{cluster.health_news.pk}"])
    assert documents == []
    assert gone == {article_key, "page:abc", "page:", "page:-1", f"page:{cluster.health_news.pk}"}


def _queries_for(ids) -> int:
    with CaptureQueriesContext(connection) as context:
        documents = article_documents([str(pk) for pk in ids])
    assert len(documents) == len(ids)
    return len(context.captured_queries)


def test_building_documents_costs_the_same_queries_for_one_article_as_for_twenty(cluster):
    document_model = get_document_model()
    attached = document_model.objects.create(title="附件", file=ContentFile(b"x", name="x.txt"))
    columns = [cluster.education_news, cluster.health_news, cluster.district_news,
               cluster.portal_news]
    articles = [make_article(column=columns[number % 4]) for number in range(20)]
    for article in articles[::3]:
        ArticleAttachment.objects.create(article=article, document=attached)
        ArticleSubmission.objects.create(article=article, target_column=cluster.portal_news,
                                         submitting_body=cluster.education,
                                         status=SubmissionStatus.ADOPTED)

    article_documents([str(articles[0].pk)])  # Wagtail caches the sites' root paths
    one = _queries_for([articles[0].pk])
    twenty = _queries_for([article.pk for article in articles])

    assert one == twenty <= 6


def test_rebuild_yields_every_public_article_in_batches_with_bounded_queries(cluster):
    extra = [make_article(column=cluster.portal_news) for _ in range(5)]
    make_article(column=cluster.portal_news, publish=False)
    expected = {key(cluster.education_article), key(cluster.health_article),
                *(key(article) for article in extra)}

    with CaptureQueriesContext(connection) as context:
        keys = [document.key for document in iter_article_documents(batch_size=2)]

    assert sorted(keys) == sorted(expected)
    batches = -(-len(expected) // 2)
    assert len(context.captured_queries) <= (batches + 1) * 8


def test_the_source_is_registered_under_page():
    source = get_source("page")
    assert source is not None and source.get_documents is article_documents


# Change log -----------------------------------------------------------------------------------


def test_publishing_a_draft_with_a_revision_records_its_key(cluster):
    draft = make_article(column=cluster.education_news, publish=False)
    forget_changes()
    draft.save_revision().publish()
    assert key(draft) in recorded()


def test_unpublishing_records_its_key_and_the_document_becomes_a_deletion(cluster):
    article = make_article(column=cluster.education_news)
    forget_changes()
    article.unpublish()
    assert key(article) in recorded()
    assert build_documents([key(article)]) == ([], {key(article)})


def test_unpublishing_through_a_plain_page_as_the_scheduler_does_records_its_key(cluster):
    article = make_article(column=cluster.education_news)
    forget_changes()
    Page.objects.get(pk=article.pk).unpublish(set_expired=True)
    assert key(article) in recorded()


def test_editing_and_deleting_an_article_record_its_key(cluster):
    article = make_article(column=cluster.education_news)
    forget_changes()
    article.title = "更正后的标题"
    article.save_revision().publish()
    assert recorded() == {key(article)}
    forget_changes()
    article_key = key(article)
    article.delete()
    assert article_key in recorded()


def test_deleting_a_column_records_the_articles_it_held(cluster):
    column = make_column(parent=cluster.health_site.home_page, slug="old")
    articles = [make_article(column=column) for _ in range(2)]
    forget_changes()
    Page.objects.get(pk=column.pk).delete()
    assert {key(article) for article in articles} <= recorded()


def test_a_rolled_back_publication_records_nothing(cluster):
    draft = make_article(column=cluster.education_news, publish=False)
    forget_changes()
    with pytest.raises(RuntimeError), transaction.atomic():
        draft.save_revision().publish()
        assert key(draft) in recorded()  # written in the publishing transaction...
        raise RuntimeError
    assert recorded() == set()  # ...and gone with it


def test_a_view_restriction_set_or_lifted_records_every_article_beneath(cluster):
    column = make_column(parent=cluster.health_site.home_page, slug="staff-only")
    sub_column = make_column(parent=column, slug="minutes")
    articles = [make_article(column=column), make_article(column=sub_column)]
    forget_changes()
    restriction = PageViewRestriction.objects.create(
        page=column, restriction_type=PageViewRestriction.LOGIN)
    assert recorded() == {key(article) for article in articles}
    forget_changes()
    restriction.delete()
    assert recorded() == {key(article) for article in articles}


def test_moving_a_column_records_its_articles_with_their_new_address(cluster):
    column = make_column(parent=cluster.education_news, slug="moving")
    article = make_article(column=column)
    forget_changes()
    Page.objects.get(pk=column.pk).move(cluster.district_news, pos="last-child")
    assert key(article) in recorded()
    document = only_document(article)
    assert document.url == f"http://dongcheng.localhost/news/moving/{article.slug}/"
    assert document.site_id == cluster.district_site.pk
    assert cluster.district_news.pk in document.column_ids


def test_renaming_a_columns_address_records_its_articles_but_a_draft_save_does_not(cluster):
    column = make_column(parent=cluster.education_news, slug="renamed")
    article = make_article(column=column)
    column = column.specific_class.objects.get(pk=column.pk)
    forget_changes()
    column.title = "新栏目名"
    column.save_revision()
    assert recorded() == set()
    column.slug = "new-address"
    column.save_revision().publish()
    assert key(article) in recorded()
    assert only_document(article).url == f"/jyj/news/new-address/{article.slug}/"


def test_changing_a_columns_responsible_body_records_its_articles(cluster):
    article = make_article(column=cluster.health_news)
    column = cluster.health_news
    forget_changes()
    column.responsible_body = cluster.city
    column.save_revision().publish()
    assert {key(article), key(cluster.health_article)} <= recorded()
    assert only_document(article).body_id == cluster.city.pk


def test_renaming_a_site_records_its_articles_but_changing_its_phone_does_not(cluster):
    article = make_article(column=cluster.education_news)
    forget_changes()
    actions.update_site_identity(site=cluster.education_site, contact_phone="0571-88888888")
    assert not {key(article), key(cluster.education_article)} & recorded()
    actions.update_site_identity(site=cluster.education_site, name="示例市教育局（市语委）")
    assert {key(article), key(cluster.education_article)} <= recorded()
    assert key(cluster.health_article) not in recorded()
    assert only_document(article).site_name == "示例市教育局（市语委）"


def test_giving_a_site_its_own_hostname_records_its_articles_with_full_urls(cluster):
    forget_changes()
    actions.update_site_identity(site=cluster.health_site, hostname="wjw.localhost")
    assert key(cluster.health_article) in recorded()
    assert only_document(cluster.health_article).url.startswith("http://wjw.localhost/news/")


def test_adopting_a_submission_and_renaming_an_attachment_document_record_the_article(cluster):
    article = cluster.education_article
    forget_changes()
    submission = ArticleSubmission.objects.create(
        article=article, target_column=cluster.portal_news, submitting_body=cluster.education)
    assert recorded() == {key(article)}
    document_model = get_document_model()
    attached = document_model.objects.create(title="旧名", file=ContentFile(b"x", name="x.txt"))
    ArticleAttachment.objects.create(article=article, document=attached)
    forget_changes()
    attached.title = "新名"
    attached.save()
    assert recorded() == {key(article)}
    assert submission.pk is not None
