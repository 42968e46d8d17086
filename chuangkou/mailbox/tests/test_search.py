"""What 政民互动 indexes (检索): letters published with the writer's consent, from the masked
copies only (个人信息保护法 第二十五条): never the original text, never the writer's details."""

import dataclasses

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangkou.mailbox import actions
from chuangkou.mailbox.models import Letter
from chuangkou.mailbox.search import iter_letter_documents, letter_documents
from chuangkou.mailbox.tests.factories import answer_letter, make_letter
from chuangkou.organizations.choices import Role
from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import build_documents
from chuangkou.search.testing import forget_recorded_changes as forget_changes
from chuangkou.search.testing import recorded_keys as recorded

pytestmark = pytest.mark.django_db

REVIEWER = Role.LETTER_REVIEWER
WRITER = {"writer_name": "王小明", "phone": "13912345678", "email": "wang.xiaoming@example.com",
          "address": "示例市东城区和平路12号3幢502室"}
TITLE = "王小明反映和平路人行道被占用"
CONTENT = ("我叫王小明，住在示例市东城区和平路12号3幢502室，电话13912345678。小区门口的早餐店"
           "每天把车停在人行道上，行人只能走机动车道，请有关部门管一管。")
REPLY = "王小明您好：经核查，占道车辆已被责令挪走，城管部门将每日巡查和平路周边。"


def key(letter) -> str:
    return f"letter:{letter.pk}"


def answered(cluster, *, may_publish=True) -> Letter:
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        letter = make_letter(cluster=cluster, assign_to=cluster.education, title=TITLE,
                             content=CONTENT, may_publish=may_publish, **WRITER)
        return answer_letter(letter, cluster, text=REPLY)


def published(cluster) -> Letter:
    letter = answered(cluster)
    # 17:00 UTC is one in the morning in Beijing: the document's date is the local one.
    with time_machine.travel("2026-03-06 17:00 +0000", tick=False):
        return actions.publish_letter(letter=letter, actor=cluster.user("education", REVIEWER))


def test_published_letter_becomes_a_letter_document_of_its_masked_copies(cluster):
    letter = published(cluster)

    [document] = letter_documents([str(letter.pk)])

    assert document.key == key(letter)
    assert document.type == DocumentType.LETTER
    assert document.title == letter.published_title
    assert document.text == f"{letter.published_content} {letter.published_reply}"
    assert "城管部门将每日巡查" in document.text and "早餐店" in document.text
    assert document.url == f"/hudong/published/{letter.number}/"
    assert document.date.isoformat() == "2026-03-07"
    assert (document.body_id, document.body_name) == (cluster.education.pk, "示例市教育局")
    assert document.site_id is None


def test_no_original_text_and_no_writer_detail_reaches_the_document(cluster):
    letter = published(cluster)
    stored = Letter.objects.select_related("writer").get(pk=letter.pk)
    assert stored.content == CONTENT and stored.writer.name == "王小明"  # the originals exist

    [document] = letter_documents([str(letter.pk)])

    everything = " ".join(str(value) for value in dataclasses.asdict(document).values())
    for secret in (CONTENT, TITLE, REPLY, "王小明", "13912345678", "wang.xiaoming",
                   "12号3幢502"):
        assert secret not in everything, secret


def test_unpublished_unconsented_and_deleted_letters_become_deletions(cluster):
    answered_only = answered(cluster)
    without_consent = answered(cluster, may_publish=False)
    withdrawn = published(cluster)
    actions.unpublish_letter(letter=withdrawn, actor=cluster.user("education", REVIEWER),
                             reason="写信人要求撤下")
    keys = [key(answered_only), key(without_consent), key(withdrawn), "letter:zz"]
    assert build_documents(keys) == ([], set(keys))


def test_building_letter_documents_costs_one_query_for_one_letter_or_many(cluster):
    letters = [published(cluster) for _ in range(3)]
    for batch in (letters[:1], letters):
        with CaptureQueriesContext(connection) as context:
            documents = letter_documents([str(letter.pk) for letter in batch])
        assert {document.key for document in documents} == {key(letter) for letter in batch}
        assert len(context.captured_queries) == 1
    assert [document.key for document in iter_letter_documents(batch_size=2)] == [
        key(letter) for letter in letters]


def test_publishing_unpublishing_and_deleting_a_letter_record_its_key(cluster):
    letter = answered(cluster)
    reviewer = cluster.user("education", REVIEWER)
    forget_changes()
    actions.publish_letter(letter=letter, actor=reviewer)
    assert recorded() == {key(letter)}
    forget_changes()
    actions.unpublish_letter(letter=letter, actor=reviewer, reason="写信人要求撤下")
    assert recorded() == {key(letter)}
    forget_changes()
    letter_key = key(letter)
    Letter.objects.get(pk=letter.pk).delete()
    assert letter_key in recorded()
