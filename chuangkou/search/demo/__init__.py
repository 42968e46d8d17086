"""The demo's search tuning: synonyms citizens actually use for government terms, a few
administrator-added words, and best bets pointing at the demo catalogue's services."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from chuangkou.services.models import ServiceItem

from .. import actions
from ..models import BestBet, GovernmentTerm, Synonym

# Colloquial → formal, as the 12345 hotline and the seed reports word them.
SYNONYMS = (
    ("医保，医疗保险，基本医疗保险", "群众口语与政策用语"),
    ("社保，社会保险", "群众口语与政策用语"),
    ("公积金，住房公积金", "群众口语与政策用语"),
    ("低保，最低生活保障", "群众口语与政策用语"),
    ("户口，户籍", "群众口语与政策用语"),
    ("身份证，居民身份证", "群众口语与政策用语"),
    ("营业执照，工商执照", "旧称"),
    ("12345，市民热线，政务服务便民热线", "热线名称"),
)
TERMS = (
    ("随迁子女", "义务教育入学政策用语"),
    ("居住证积分", "入学、落户政策用语"),
    ("不动产权证书", "不动产登记用语"),
    ("工伤认定", "社会保险用语"),
)
# (trigger queries, service item name, description)
BEST_BETS = (
    ("社保登记\n社会保险登记\n单位社保", "用人单位社会保险登记",
     "新成立的单位自成立之日起三十日内办理（《社会保险法》第五十七条）。"),
    ("入学\n入学登记\n小学报名", "义务教育阶段入学登记", "适龄儿童入小学、小学毕业生升初中的网上登记。"),
)


@transaction.atomic
def load_search_demo() -> dict[str, int]:
    """Idempotent: entries that exist are left as they are."""
    created = {"synonyms": 0, "terms": 0, "best_bets": 0}
    existing = set(Synonym.objects.values_list("terms", flat=True))
    for terms, note in SYNONYMS:
        if terms not in existing:
            actions.create_synonym(terms=terms, note=note)
            created["synonyms"] += 1
    known_terms = set(GovernmentTerm.objects.values_list("term", flat=True))
    for term, note in TERMS:
        if term not in known_terms:
            actions.set_government_term(term=term, note=note)
            created["terms"] += 1
    for queries, item_name, description in BEST_BETS:
        item = ServiceItem.objects.filter(name=item_name, is_published=True).first()
        if item is None:
            continue
        url = reverse("services:item", kwargs={"code": item.code})
        if BestBet.objects.filter(url=url).exists():
            continue
        actions.create_best_bet(queries=queries, url=url, title=item.name,
                                description=description)
        created["best_bets"] += 1
    return created
