"""What 政民互动 puts in the search index (检索): letters published with the writer's consent.

Source ``"letter"``: only the masked copies made at publication (``published_title``,
``published_content``, ``published_reply``) ever reach a document. The original title and
text, the writer's details and the staff's drafts are never read: the rows are fetched as
values of the published fields alone, so no later change to the document builder can pick up
personal data by accident (个人信息保护法 第二十五条; regulations.md §10). The body is the one
whose approved reply was published (答复部门, as the published letter page shows it), else the
body the letter was assigned to; the date is the day of publication.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from django.db.models import BigIntegerField, CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from chuangkou.search.choices import DocumentType
from chuangkou.search.documents import SearchDocument, SearchSource, register_source, watch

from .choices import ReplyStatus
from .models import Letter, LetterReply

__all__ = ["BATCH_SIZE", "SOURCE_NAME", "iter_letter_documents", "letter_documents"]

SOURCE_NAME = "letter"
BATCH_SIZE = 500

# Everything a document is built from; nothing else of a letter is read.
_PUBLISHED_FIELDS = ("pk", "number", "published_title", "published_content", "published_reply",
                     "published_at", "answering_body_id", "answering_body_name")


def _ids(identifiers: Iterable[str]) -> list[int]:
    return sorted({int(identifier) for identifier in identifiers
                   if str(identifier).isascii() and str(identifier).isdigit()})


def _published_rows() -> QuerySet:
    approved = LetterReply.objects.filter(letter=OuterRef("pk"), status=ReplyStatus.APPROVED)
    return (Letter.objects.filter(is_published=True, may_publish=True)
            .annotate(
                answering_body_id=Coalesce(Subquery(approved.values("body_id")[:1]),
                                           "assigned_body_id", output_field=BigIntegerField()),
                answering_body_name=Coalesce(Subquery(approved.values("body__name")[:1]),
                                             "assigned_body__name", output_field=CharField()))
            .order_by("pk")
            .values(*_PUBLISHED_FIELDS))


def _document(row: dict) -> SearchDocument:
    published_at = row["published_at"]
    return SearchDocument(
        key=f"{SOURCE_NAME}:{row['pk']}",
        type=DocumentType.LETTER,
        title=row["published_title"],
        text=" ".join(part.strip() for part in (row["published_content"], row["published_reply"])
                      if part and part.strip()),
        url=reverse("mailbox:published_letter", args=[row["number"]]),
        date=timezone.localdate(published_at) if published_at else None,
        body_id=row["answering_body_id"],
        body_name=row["answering_body_name"] or "",
    )


def letter_documents(identifiers: Sequence[str]) -> list[SearchDocument]:
    """The published letters among ``identifiers`` (one query, however many)."""
    ids = _ids(identifiers)
    return [_document(row) for row in _published_rows().filter(pk__in=ids)] if ids else []


def iter_letter_documents(batch_size: int = BATCH_SIZE) -> Iterator[SearchDocument]:
    """Every published letter, ``batch_size`` at a time by id (keyset)."""
    last = 0
    while True:
        rows = list(_published_rows().filter(pk__gt=last)[:batch_size])
        if not rows:
            return
        yield from (_document(row) for row in rows)
        last = rows[-1]["pk"]


register_source(SearchSource(name=SOURCE_NAME, get_documents=letter_documents,
                             iter_documents=iter_letter_documents))


def _letter_key(letter: Letter) -> list[str]:
    """Every save of a letter, published or not: an unpublished letter's key only deletes what
    is not there, while skipping saves by some rule (consent, status) would risk keeping a
    withdrawn letter in the index."""
    return [f"{SOURCE_NAME}:{letter.pk}"]


watch(Letter, _letter_key)
