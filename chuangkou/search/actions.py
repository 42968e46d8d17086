"""Every state change of the search domain: the change log, and what administrators tune
(synonyms, government terms, best bets), and the analytics counters."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from chuangkou.core.audit import json_safe, record_event
from chuangkou.core.exceptions import full_clean_or_raise

from . import text
from .exceptions import BestBetInvalid, GovernmentTermInvalid, SynonymInvalid
from .models import BestBet, GovernmentTerm, IndexChange, QueryStatistic, Synonym

__all__ = [
    "create_best_bet",
    "create_synonym",
    "delete_best_bet",
    "delete_government_term",
    "delete_synonym",
    "prune_index_changes",
    "record_index_changes",
    "record_result_click",
    "record_search",
    "set_government_term",
    "update_best_bet",
    "update_synonym",
]


def _apply_after_commit() -> None:
    from .tasks import schedule_index_update

    schedule_index_update()


def _apply_scheduled() -> bool:
    return any(entry[1] is _apply_after_commit for entry in connection.run_on_commit)


def record_index_changes(*, keys: Iterable[str]) -> None:
    """Log that the documents ``keys`` changed, in the caller's transaction, and have the index
    updated once that transaction commits (nothing is logged or applied if it rolls back).
    Bookkeeping, not audited: the change that caused it is."""
    rows = [IndexChange(key=key[:200]) for key in dict.fromkeys(keys) if key]
    if not rows:
        return
    with transaction.atomic():
        IndexChange.objects.bulk_create(rows)
        if settings.SEARCH_APPLY_AFTER_COMMIT and not _apply_scheduled():
            transaction.on_commit(_apply_after_commit, robust=True)


def prune_index_changes(*, older_than_days: int = 7) -> int:
    """Delete change-log entries every replica has long applied. The newest entry always stays:
    on SQLite a deleted highest id would be handed out again, and a replica past it would skip
    the new entry."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    newest = IndexChange.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return 0
    deleted, _detail = (IndexChange.objects.filter(created_at__lt=cutoff)
                        .exclude(id=newest).delete())
    return deleted


# -- what administrators tune ---------------------------------------------------------------

_TERM_SEPARATORS = re.compile(r"[,，、;；\s]+")


def _bump_tuning_version() -> None:
    """Every process re-reads terms, synonyms and best bets after this. Bumped now (this
    transaction's own searches see the change) and again after commit, so a process that read
    the old rows in between does not keep them under the new version."""
    from .queries import TUNING_VERSION_KEY, tuning_version

    def bump() -> None:
        cache.set(TUNING_VERSION_KEY, tuning_version() + 1, timeout=None)

    bump()
    transaction.on_commit(bump)


def _synonym_terms(terms: str) -> str:
    words = [word for word in (_TERM_SEPARATORS.split(terms or "")) if word]
    unique = list(dict.fromkeys(words))
    if len(unique) < 2:
        raise SynonymInvalid({"terms": [_("同义词组至少需要两个不同的词，用逗号或顿号分隔。")]})
    if any(len(word) > 40 for word in unique):
        raise SynonymInvalid({"terms": [_("每个词不超过 40 个字。")]})
    return "，".join(unique)


def _synonym_data(synonym: Synonym) -> dict:
    return {"terms": synonym.terms, "note": synonym.note, "is_active": synonym.is_active}


@transaction.atomic
def create_synonym(*, terms: str, note: str = "", is_active: bool = True, actor=None) -> Synonym:
    """Add a synonym group (同义词: 医保，医疗保险). Takes effect at the next search."""
    synonym = Synonym(terms=_synonym_terms(terms), note=note.strip(), is_active=is_active)
    full_clean_or_raise(synonym, SynonymInvalid)
    synonym.save()
    record_event("search.synonym.created", actor=actor, target=synonym,
                 data=_synonym_data(synonym))
    _bump_tuning_version()
    return synonym


@transaction.atomic
def update_synonym(*, synonym: Synonym, terms: str, note: str = "", is_active: bool = True,
                   actor=None) -> Synonym:
    synonym = Synonym.objects.select_for_update().get(pk=synonym.pk)
    before = _synonym_data(synonym)
    synonym.terms = _synonym_terms(terms)
    synonym.note = note.strip()
    synonym.is_active = is_active
    full_clean_or_raise(synonym, SynonymInvalid)
    synonym.save()
    record_event("search.synonym.updated", actor=actor, target=synonym,
                 data={"before": before, "after": _synonym_data(synonym)})
    _bump_tuning_version()
    return synonym


@transaction.atomic
def delete_synonym(*, synonym: Synonym, actor=None) -> None:
    removed = Synonym.objects.select_for_update().filter(pk=synonym.pk).first()
    if removed is None:
        return
    record_event("search.synonym.deleted", actor=actor, target=removed,
                 data=_synonym_data(removed))
    removed.delete()
    _bump_tuning_version()


@transaction.atomic
def set_government_term(*, term: str, note: str = "", actor=None) -> GovernmentTerm:
    """Add a word jieba keeps whole (政务词库), or change its note. Documents indexed before are
    segmented the old way until the index is rebuilt (the admin screen says so)."""
    normalised = text.normalise(term or "").replace(" ", "")
    if not normalised:
        raise GovernmentTermInvalid({"term": [_("请输入词语。")]})
    if len(normalised) < 2 or not all(character.isalnum() for character in normalised):
        raise GovernmentTermInvalid(
            {"term": [_("词语至少两个字，只能包含汉字、字母和数字。")]})
    existing = GovernmentTerm.objects.select_for_update().filter(term=normalised).first()
    entry = existing or GovernmentTerm(term=normalised)
    entry.note = note.strip()
    full_clean_or_raise(entry, GovernmentTermInvalid, validate_unique=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise GovernmentTermInvalid({"term": [_("该词语刚刚已被添加。")]}) from error
    record_event("search.term.set", actor=actor, target=entry,
                 data={"term": entry.term, "note": entry.note, "created": existing is None})
    _bump_tuning_version()
    return entry


@transaction.atomic
def delete_government_term(*, term: GovernmentTerm, actor=None) -> None:
    removed = GovernmentTerm.objects.select_for_update().filter(pk=term.pk).first()
    if removed is None:
        return
    record_event("search.term.deleted", actor=actor, target=removed, data={"term": removed.term})
    removed.delete()
    _bump_tuning_version()


def _best_bet_fields(*, queries: str, page: Page | None, url: str, title: str) -> tuple[str, str]:
    lines = [line.strip() for line in (queries or "").splitlines() if line.strip()]
    errors: dict[str, list] = {}
    if not lines:
        errors["queries"] = [_("请至少填写一个触发词，每行一个。")]
    elif any(len(line) > 100 for line in lines):
        errors["queries"] = [_("每个触发词不超过 100 个字。")]
    url = (url or "").strip()
    if page is None and not url:
        errors["url"] = [_("请选择页面或填写链接地址。")]
    elif url and not (url.startswith("/") and not url.startswith("//")) \
            and not url.startswith("https://"):
        errors["url"] = [_("链接地址须以 / 开头（本站地址）或以 https:// 开头。")]
    if page is None and url and not (title or "").strip():
        errors["title"] = [_("填写链接地址时请填写标题。")]
    if errors:
        raise BestBetInvalid(errors)
    return "\n".join(dict.fromkeys(lines)), url


def _best_bet_data(bet: BestBet) -> dict:
    return json_safe({"queries": bet.queries, "page": bet.page_id, "url": bet.url,
                      "title": bet.title, "is_active": bet.is_active,
                      "sort_order": bet.sort_order})


@transaction.atomic
def create_best_bet(*, queries: str, page: Page | None = None, url: str = "", title: str = "",
                    description: str = "", sort_order: int = 0, is_active: bool = True,
                    actor=None) -> BestBet:
    """Pin a result (推荐结果) for the given queries."""
    queries, url = _best_bet_fields(queries=queries, page=page, url=url, title=title)
    bet = BestBet(queries=queries, page=page, url=url, title=title.strip(),
                  description=description.strip(), sort_order=sort_order, is_active=is_active)
    full_clean_or_raise(bet, BestBetInvalid)
    bet.save()
    record_event("search.best_bet.created", actor=actor, target=bet, data=_best_bet_data(bet))
    _bump_tuning_version()
    return bet


@transaction.atomic
def update_best_bet(*, best_bet: BestBet, queries: str, page: Page | None = None, url: str = "",
                    title: str = "", description: str = "", sort_order: int = 0,
                    is_active: bool = True, actor=None) -> BestBet:
    bet = BestBet.objects.select_for_update().get(pk=best_bet.pk)
    before = _best_bet_data(bet)
    queries, url = _best_bet_fields(queries=queries, page=page, url=url, title=title)
    bet.queries, bet.page, bet.url = queries, page, url
    bet.title, bet.description = title.strip(), description.strip()
    bet.sort_order, bet.is_active = sort_order, is_active
    full_clean_or_raise(bet, BestBetInvalid)
    bet.save()
    record_event("search.best_bet.updated", actor=actor, target=bet,
                 data={"before": before, "after": _best_bet_data(bet)})
    _bump_tuning_version()
    return bet


@transaction.atomic
def delete_best_bet(*, best_bet: BestBet, actor=None) -> None:
    removed = BestBet.objects.select_for_update().filter(pk=best_bet.pk).first()
    if removed is None:
        return
    record_event("search.best_bet.deleted", actor=actor, target=removed,
                 data=_best_bet_data(removed))
    removed.delete()
    _bump_tuning_version()


# -- analytics ------------------------------------------------------------------------------


def _count(*, query: str, searches: int = 0, zero: int = 0, clicks: int = 0) -> None:
    query = " ".join(query.split())[:100]
    if not query:
        return
    day = timezone.localdate()
    increments = {"searches": F("searches") + searches,
                  "zero_result_searches": F("zero_result_searches") + zero,
                  "clicks": F("clicks") + clicks}
    with transaction.atomic():
        if QueryStatistic.objects.filter(day=day, query=query).update(**increments):
            return
        try:
            with transaction.atomic():
                QueryStatistic.objects.create(day=day, query=query, searches=searches,
                                              zero_result_searches=zero, clicks=clicks)
        except IntegrityError:
            # Another request created today's row between our update and our insert.
            QueryStatistic.objects.filter(day=day, query=query).update(**increments)


def record_search(*, query: str, found: int) -> None:
    """Count one search for ``query`` (normalised) today, and whether it found nothing. Counts
    only, no personal data: not audited."""
    _count(query=query, searches=1, zero=1 if found == 0 else 0)


def record_result_click(*, query: str) -> None:
    """Count one result followed from a search for ``query`` today (click-through)."""
    _count(query=query, clicks=1)
