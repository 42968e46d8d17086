"""Pure rules of the mailbox (政民互动): default letter kinds and their time limits, the reply
deadline, keyword matching for routing, letter numbers, query codes and text cleaning.

Nothing here reads the database or the clock; callers pass what the rule needs.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from chuangkou.core.calendar import WorkingCalendar, add_working_days
from chuangkou.core.query_codes import (
    QUERY_CODE_ALPHABET,
    QUERY_CODE_LENGTH,
    query_code_digest,
    query_code_matches,
)

__all__ = [
    "DEFAULT_LETTER_KINDS",
    "LETTER_KIND_TIME_LIMIT_SOURCE",
    "LETTER_NUMBER_PREFIX",
    "QUERY_CODE_ALPHABET",
    "QUERY_CODE_LENGTH",
    "DefaultLetterKind",
    "clean_line",
    "clean_text",
    "keywords_match",
    "letter_number",
    "normalise_for_matching",
    "query_code_digest",
    "query_code_matches",
    "reply_due_on",
    "routing_rule_matches",
]

LETTER_KIND_TIME_LIMIT_SOURCE = (
    "regulations.md §8：来信类型（咨询、求助、投诉、建议、批评）的答复时限由各地政府自定，"
    "实践中为5至15个工作日（国办发〔2020〕53号）"
)
LETTER_NUMBER_PREFIX = "XJ"
# No 0/O, 1/I/L: a code read aloud on the phone or copied by hand is not mistaken.


@dataclass(frozen=True)
class DefaultLetterKind:
    code: str
    name: str
    reply_working_days: int
    description: str
    sort_order: int


# The five kinds of the issue, with the time limits of practice (regulations.md §8: "set by each
# government, practice 5-15 working days"). Migration 0002 seeds the same values as literal data.
DEFAULT_LETTER_KINDS: tuple[DefaultLetterKind, ...] = (
    DefaultLetterKind("zixun", "咨询", 5, "询问政策规定、办事流程等。", 10),
    DefaultLetterKind("qiuzhu", "求助", 10, "遇到困难请求政府部门帮助解决。", 20),
    DefaultLetterKind("tousu", "投诉", 15, "反映行政机关及其工作人员的违法违规或不作为等问题。", 30),
    DefaultLetterKind("jianyi", "建议", 15, "对政府工作提出意见和建议。", 40),
    DefaultLetterKind("piping", "批评", 15, "对政府工作提出批评。", 50),
)


def reply_due_on(assigned_on: date, working_days: int, extension_days: int,
                 calendar: WorkingCalendar) -> date:
    """The reply deadline (答复期限): ``working_days`` plus approved ``extension_days`` working
    days after the day the letter was assigned (交办之日, not counted), on the shared working-day
    calendar. Source: the kind's or body's time limit (regulations.md §8, 5–15 working days in
    practice); a forwarded letter (转办) starts again from its new assignment."""
    return add_working_days(assigned_on, working_days + extension_days, calendar=calendar)


def normalise_for_matching(text: str) -> str:
    """Text folded for keyword matching: NFKC (full-width to half-width), case-folded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def keywords_match(keywords: Iterable[str], *texts: str) -> bool:
    """True when any non-blank keyword occurs in any of ``texts``, ignoring case and width
    (分办规则: "标题或内容含任一关键词即匹配")."""
    folded = [normalise_for_matching(text) for text in texts]
    for keyword in keywords:
        needle = normalise_for_matching(keyword).strip()
        if needle and any(needle in haystack for haystack in folded):
            return True
    return False


def routing_rule_matches(*, rule_kind_id: int | None, rule_addressed_body_id: int | None,
                         rule_keywords: Iterable[str], kind_id: int,
                         addressed_body_id: int | None, title: str, content: str) -> bool:
    """Whether a routing rule (分办规则) applies to a letter: every condition the rule sets holds
    (kind, addressed body, any keyword in title or content); unset conditions match anything,
    "不确定" included."""
    if rule_kind_id is not None and rule_kind_id != kind_id:
        return False
    if rule_addressed_body_id is not None and rule_addressed_body_id != addressed_body_id:
        return False
    keywords = [keyword for keyword in rule_keywords if keyword.strip()]
    return not keywords or keywords_match(keywords, title, content)


def letter_number(year: int, sequence: int) -> str:
    """信件编号: ``XJ`` + year + six-digit sequence of the year, e.g. XJ2026000057."""
    return f"{LETTER_NUMBER_PREFIX}{year}{sequence:06d}"


_KEPT_CONTROLS = {"\n", "\t"}


def clean_text(text: str) -> str:
    """Plain text as stored: line ends normalised to ``\\n``; NUL, other control characters
    and lone surrogates removed; surrounding blank space trimmed. HTML is kept as typed (it is
    escaped wherever it is shown)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        character for character in text
        if character in _KEPT_CONTROLS or unicodedata.category(character) not in ("Cc", "Cs")
    ).strip()


def clean_line(text: str) -> str:
    """One-line text (title, name, phone): :func:`clean_text` with line breaks and tabs turned
    into single spaces."""
    return " ".join(clean_text(text).split())
