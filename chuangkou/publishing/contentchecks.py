"""The automatic content checks (保密审查辅助检查): a pure engine.

Nothing here reads the database or writes anything: the caller (``actions.run_content_checks``)
extracts the texts of a page revision, looks up which linked pages, documents and images exist,
and stores the findings. The rules come in as a :class:`CompiledRules` built once per process
(``queries.compiled_content_rules``) from the managed lexicon and expression rules.

What is checked, and why:

- classification markings (密级标志 绝密★/机密★/秘密★ and 内部资料 注意保存): 涉密不上网、上网不
  涉密 — a text carrying a marking must never be published (保密法 第二十八条 and the 三审
  confidentiality review);
- sensitive and forbidden words (敏感词/禁用词) from the managed lexicon, matched by one
  Aho-Corasick automaton over the whole text;
- serious wrong expressions (严重表述错误, e.g. outdated official names, wrong titles) and
  common typos in official language (常见错别字): 国办秘函〔2019〕19号 makes a serious wrong
  expression a single-veto inspection failure (单项否决);
- personal data (18-digit ID numbers with a valid GB 11643-1999 check digit, mobile numbers,
  bank card numbers passing Luhn, e-mail addresses): 个人信息保护法 第二十五条 — personal data
  is not made public without the person's separate consent. The raw value never leaves this
  module: findings carry a masked form and a keyed hash;
- broken internal links, links to missing documents and images, images without alt text
  (政府网站发展指引 国办发〔2017〕47号; GB/T 37668-2019 for alt text): :func:`check_references`.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import ahocorasick
from django.utils.crypto import salted_hmac

from chuangkou.core.validators import PROVINCE_PREFIXES

from .choices import PERSONAL_DATA_KINDS, SEVERITY_RANK, FindingKind, Severity

CONTEXT_CHARS = 15
HASH_SALT = "chuangkou.publishing.contentchecks.personal-data"

SOURCE_SECRECY = "涉密不上网、上网不涉密（保密法 第二十八条）"
SOURCE_PERSONAL_DATA = "个人信息保护法 第二十五条"
SOURCE_WRONG_EXPRESSION = "国办秘函〔2019〕19号 严重表述错误"
SOURCE_LINKS = "政府网站发展指引（国办发〔2017〕47号）链接可用性"
SOURCE_ALT_TEXT = "GB/T 37668-2019 非文本内容的替代文本"


# --- Inputs and outputs -------------------------------------------------------------------


@dataclass(frozen=True)
class TextField:
    """One text to check and where it is, e.g. ``TextField("正文", plain_text)``."""

    label: str
    text: str


@dataclass(frozen=True)
class Finding:
    """One problem found. ``matched_text`` and ``context`` are already masked when the match is
    personal data; ``offset`` counts characters in the field's text (None for whole-field
    findings)."""

    kind: str
    severity: str
    matched_text: str
    field_label: str
    offset: int | None
    length: int
    context: str = ""
    rule: str = ""
    suggestion: str = ""
    fingerprint: str = ""

    @property
    def is_blocking(self) -> bool:
        return self.severity == Severity.BLOCKING


@dataclass(frozen=True)
class LexiconTerm:
    term: str
    category: str
    severity: str


@dataclass(frozen=True)
class ExpressionPattern:
    kind: str  # FindingKind.WRONG_EXPRESSION or FindingKind.TYPO
    wrong_text: str
    correction: str
    severity: str
    is_regex: bool = False


@dataclass(frozen=True)
class _Payload:
    kind: str
    severity: str
    rule: str
    suggestion: str
    # For expression rules whose correction contains the wrong text (e.g. 国家税务局 inside a
    # correction): where the wrong text sits inside the correction, so a match that is really
    # part of the correct form is skipped. -1 when the correction does not contain it.
    offset_in_correction: int = -1
    correction: str = ""


# Full-width ASCII (！to ～) to half-width, the ideographic space to a space, A-Z to a-z.
# Every mapping is one character to one character, so offsets in the folded text are offsets
# in the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
for _code in range(0xFF21, 0xFF3B):  # Ａ-Ｚ fold all the way to a-z
    _FOLD[_code] = _code - 0xFEE0 + 32


_FOLDABLE = re.compile("[A-Z\uff01-\uff5e\u3000]+")


def fold(text: str) -> str:
    """Normalise for matching without changing length: half-width ASCII, lower case.

    Only the runs that need folding are translated (most Chinese text has few)."""
    return _FOLDABLE.sub(lambda match: match.group().translate(_FOLD), text)


def _units(text: str) -> str:
    """``text`` as UTF-16 code-unit bytes in a str (one character per byte).

    pyahocorasick looks up a node's children by scanning them; with thousands of distinct
    first characters (Chinese) that scan dominates, while over bytes a node has at most 256
    children. Measured on a 50,000-term lexicon and a 20,000-character article: 11 ms over
    characters, 2 ms over UTF-16 bytes. Matches must start on an even byte (a code unit).
    """
    return text.encode("utf-16-be", "surrogatepass").decode("latin-1")


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class CompiledRules:
    """The lexicon and literal expression rules in one Aho-Corasick automaton, plus the regular
    expression rules. Built once and reused for every check (immutable after construction)."""

    def __init__(self, *, lexicon: Iterable[LexiconTerm] = (),
                 expressions: Iterable[ExpressionPattern] = (), version: str = ""):
        self.version = version
        self.payloads: list[_Payload] = []
        keys: dict[str, list[int]] = {}
        self.regexes: list[tuple[re.Pattern, int]] = []
        for entry in lexicon:
            key = fold(entry.term.strip())
            if len(key) < 1:
                continue
            keys.setdefault(key, []).append(self._add(_Payload(
                kind=FindingKind.LEXICON_TERM, severity=entry.severity, rule=entry.category,
                suggestion="")))
        for pattern in expressions:
            payload = _Payload(
                kind=pattern.kind, severity=pattern.severity,
                rule=SOURCE_WRONG_EXPRESSION if pattern.kind == FindingKind.WRONG_EXPRESSION
                else "常见错别字",
                suggestion=pattern.correction,
                offset_in_correction=-1 if pattern.is_regex
                else fold(pattern.correction).find(fold(pattern.wrong_text)),
                correction=fold(pattern.correction),
            )
            if pattern.is_regex:
                self.regexes.append((re.compile(pattern.wrong_text), self._add(payload)))
            elif pattern.wrong_text.strip():
                keys.setdefault(fold(pattern.wrong_text.strip()), []).append(self._add(payload))
        self.size = len(self.payloads)
        self.automaton = ahocorasick.Automaton()
        for key, indexes in keys.items():
            encoded = _units(key)
            self.automaton.add_word(encoded, (len(encoded), tuple(indexes)))
        if keys:
            self.automaton.make_automaton()
        self._empty = not keys

    def _add(self, payload: _Payload) -> int:
        self.payloads.append(payload)
        return len(self.payloads) - 1

    def iter_matches(self, folded: str):
        """(start, end, payload) for every occurrence of every literal, overlaps included."""
        if not self._empty:
            astral = [match.start() for match in _ASTRAL.finditer(folded)]
            # Code-unit index -> character index: each astral character before it is 2 units.
            astral_units = [position + number for number, position in enumerate(astral)]
            for end_index, (length, indexes) in self.automaton.iter(_units(folded)):
                start_byte = end_index - length + 1
                if start_byte % 2:
                    continue  # straddles two characters
                start_unit, end_unit = start_byte // 2, (end_index + 1) // 2
                if astral_units:
                    start = start_unit - bisect.bisect_left(astral_units, start_unit)
                    end = end_unit - bisect.bisect_left(astral_units, end_unit)
                else:
                    start, end = start_unit, end_unit
                for index in indexes:
                    yield start, end, self.payloads[index]
        for pattern, index in self.regexes:
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    yield match.start(), match.end(), self.payloads[index]


EMPTY_RULES = CompiledRules()


# --- Classification markings (密级标志) --------------------------------------------------

_STAR = r"[★☆*＊]"
_TERM = r"(?:\d{1,3}\s*(?:年|个月|月|天|日)|长期|启用前|解密前)"
CLASSIFICATION_MARKING = re.compile(
    rf"(?:绝|机|秘)\s*密\s*{_STAR}\s*{_TERM}?"
    rf"|内\s*部\s*(?:资\s*料|文\s*件|刊\s*物)\s*[，,、；;。.:：\s]*"
    r"(?:注\s*意\s*保\s*(?:存|密|管)|请\s*勿\s*外\s*传|妥\s*善\s*保\s*管|不\s*得\s*外\s*传)"
)
# "内部资料" alone is a warning: it is usually a marking, occasionally an innocent phrase.
INTERNAL_ONLY = re.compile(r"内\s*部\s*资\s*料(?!\s*[，,、；;。.:：]?\s*(?:注|请|妥|不))")


def _markings(field_: TextField, masked: str) -> list[Finding]:
    findings = []
    for match in CLASSIFICATION_MARKING.finditer(field_.text):
        findings.append(_finding(FindingKind.CLASSIFICATION_MARKING, Severity.BLOCKING,
                                 field_, masked, match.start(), match.end(),
                                 rule=SOURCE_SECRECY, suggestion="涉密内容不得上网，请撤下"))
    covered = [(f.offset, f.offset + f.length) for f in findings]
    for match in INTERNAL_ONLY.finditer(field_.text):
        if any(start <= match.start() < end for start, end in covered):
            continue
        findings.append(_finding(FindingKind.CLASSIFICATION_MARKING, Severity.WARNING,
                                 field_, masked, match.start(), match.end(),
                                 rule=SOURCE_SECRECY,
                                 suggestion="确认是否为内部资料，内部资料不得公开"))
    return findings


# --- Personal data (个人信息) -------------------------------------------------------------

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"
MOBILE_NUMBER = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86[-\s]?)?(1[3-9]\d[-\s]?\d{4}[-\s]?\d{4})(?![0-9A-Za-z])")
BANK_CARD = re.compile(r"(?<![0-9A-Za-z])[3-6]\d{3}(?:[-\s]?\d){12,15}(?![0-9A-Za-z])")
EMAIL_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b")
# Published contact addresses of government offices are public by design.
PUBLIC_EMAIL_DOMAINS = (".gov.cn",)


def id_check_character(first_seventeen: str) -> str:
    """GB 11643-1999 check character: sum of digit x weight mod 11, mapped to 1 0 X 9 ... 2."""
    total = sum(int(digit) * weight for digit, weight in zip(first_seventeen, ID_WEIGHTS,
                                                             strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def is_valid_id_number(number: str) -> bool:
    """True for an 18-character 公民身份号码 with a real province prefix, a plausible birth
    date (1900 or later, a real calendar day) and a correct check character."""
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in PROVINCE_PREFIXES:
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born.year > 2100:
        return False
    return id_check_character(number[:17]) == number[17].upper()


def passes_luhn(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers (ISO/IEC 7812)."""
    if not digits.isdigit():
        return False
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask_digits(value: str, *, keep_start: int, keep_end: int) -> str:
    """Replace digits by ``*`` except the first and last few; separators stay, length too."""
    positions = [i for i, ch in enumerate(value) if ch.isdigit() or ch in "Xx"]
    hidden = set(positions[keep_start:len(positions) - keep_end])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def _mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return local[:1] + "*" * (len(local) - 1) + "@" + domain


def _personal_hash(kind: str, value: str) -> str:
    return salted_hmac(HASH_SALT, f"{kind}:{value}", algorithm="sha256").hexdigest()


@dataclass
class _PersonalMatch:
    kind: str
    severity: str
    start: int
    end: int
    masked: str
    fingerprint: str


def _personal_data(text: str) -> list[_PersonalMatch]:
    """Every personal-data value in ``text``; an ID number is never also a card or a phone."""
    found: list[_PersonalMatch] = []
    taken: list[tuple[int, int]] = []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for match in ID_NUMBER.finditer(text):
        value = match.group()
        if is_valid_id_number(value):
            found.append(_PersonalMatch(
                FindingKind.ID_NUMBER, Severity.BLOCKING, match.start(), match.end(),
                _mask_digits(value, keep_start=4, keep_end=4),
                _personal_hash(FindingKind.ID_NUMBER, value.upper())))
            taken.append(match.span())
    for match in BANK_CARD.finditer(text):
        value = match.group()
        digits = re.sub(r"\D", "", value)
        if 16 <= len(digits) <= 19 and passes_luhn(digits) and free(*match.span()):
            found.append(_PersonalMatch(
                FindingKind.BANK_CARD, Severity.BLOCKING, match.start(), match.end(),
                _mask_digits(value, keep_start=4, keep_end=4),
                _personal_hash(FindingKind.BANK_CARD, digits)))
            taken.append(match.span())
    for match in MOBILE_NUMBER.finditer(text):
        if not free(*match.span()):
            continue
        value = match.group()
        digits = re.sub(r"\D", "", match.group(1))
        found.append(_PersonalMatch(
            FindingKind.MOBILE_NUMBER, Severity.WARNING, match.start(), match.end(),
            _mask_digits(value, keep_start=len(re.sub(r"\D", "", value)) - 8, keep_end=4),
            _personal_hash(FindingKind.MOBILE_NUMBER, digits)))
        taken.append(match.span())
    for match in EMAIL_ADDRESS.finditer(text):
        value = match.group()
        if value.lower().endswith(PUBLIC_EMAIL_DOMAINS) or not free(*match.span()):
            continue
        found.append(_PersonalMatch(
            FindingKind.EMAIL_ADDRESS, Severity.WARNING, match.start(), match.end(),
            _mask_email(value), _personal_hash(FindingKind.EMAIL_ADDRESS, value.lower())))
    return found


def mask_personal_data(text: str) -> str:
    """``text`` with every personal-data value masked (same length)."""
    return _apply_masks(text, _personal_data(text))


def _apply_masks(text: str, matches: list[_PersonalMatch]) -> str:
    if not matches:
        return text
    pieces, position = [], 0
    for match in sorted(matches, key=lambda m: m.start):
        pieces.append(text[position:match.start])
        pieces.append(match.masked)
        position = match.end
    pieces.append(text[position:])
    return "".join(pieces)


# --- Building findings -----------------------------------------------------------------


_WHITESPACE = re.compile(r"\s+")


def _context(masked: str, start: int, end: int) -> str:
    before = masked[max(0, start - CONTEXT_CHARS):start]
    after = masked[end:end + CONTEXT_CHARS]
    snippet = ("…" if start > CONTEXT_CHARS else "") + before + "【" + masked[start:end] + "】" \
        + after + ("…" if end + CONTEXT_CHARS < len(masked) else "")
    return _WHITESPACE.sub(" ", snippet)[:255]


def _plain_hash(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _finding(kind, severity, field_: TextField, masked: str, start: int, end: int, *,
             rule: str = "", suggestion: str = "") -> Finding:
    matched = masked[start:end]
    return Finding(kind=kind, severity=severity, matched_text=matched[:255],
                   field_label=field_.label, offset=start, length=end - start,
                   context=_context(masked, start, end), rule=rule, suggestion=suggestion,
                   fingerprint=_plain_hash(kind, fold(_WHITESPACE.sub("", matched))))


def _rule_matches(field_: TextField, folded: str, masked: str,
                  rules: CompiledRules) -> list[Finding]:
    """Lexicon and expression-rule matches. Of overlapping matches of the same kind, one that
    lies wholly inside a longer match is dropped unless it is more serious (网络赌博 is reported
    once, not also as 赌博); partly overlapping matches are all reported."""
    raw = []
    for start, end, payload in rules.iter_matches(folded):
        if payload.offset_in_correction >= 0:
            begin = start - payload.offset_in_correction
            if begin >= 0 and folded[begin:begin + len(payload.correction)] == payload.correction:
                continue  # the wrong text is part of the correct form here
        raw.append((start, end, payload))
    raw.sort(key=lambda item: (item[2].kind, item[0], -(item[1] - item[0])))
    findings = []
    current_kind, reach, reach_rank = None, -1, -1
    seen = set()
    for start, end, payload in raw:
        if payload.kind != current_kind:
            current_kind, reach, reach_rank = payload.kind, -1, -1
        rank = SEVERITY_RANK[payload.severity]
        if end <= reach and rank <= reach_rank:
            continue
        if (start, end, payload.kind) in seen:
            continue  # the same text listed twice (e.g. two lexicon spellings folding alike)
        seen.add((start, end, payload.kind))
        if end > reach:
            reach, reach_rank = end, rank
        findings.append(_finding(payload.kind, payload.severity, field_, masked, start, end,
                                 rule=payload.rule, suggestion=payload.suggestion))
    return findings


def check_text(fields: list[TextField], rules: CompiledRules = EMPTY_RULES) -> list[Finding]:
    """Run every text check over ``fields``; findings in field order, then by position."""
    findings: list[Finding] = []
    for field_ in fields:
        text = field_.text or ""
        if not text.strip():
            continue
        personal = _personal_data(text)
        masked = _apply_masks(text, personal)
        these = _markings(field_, masked)
        these.extend(_rule_matches(field_, fold(text), masked, rules))
        for match in personal:
            these.append(Finding(
                kind=match.kind, severity=match.severity, matched_text=match.masked,
                field_label=field_.label, offset=match.start, length=match.end - match.start,
                context=_context(masked, match.start, match.end), rule=SOURCE_PERSONAL_DATA,
                suggestion="未经本人单独同意不得公开，请删除或遮盖",
                fingerprint=match.fingerprint))
        these.sort(key=lambda f: (f.offset, -f.length, f.kind))
        findings.extend(these)
    return findings


# --- Rich text structure and references -------------------------------------------------

_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
                         "h6", "tr", "td", "th", "table", "blockquote", "hr", "pre"})


@dataclass(frozen=True)
class Link:
    """A link in rich text: to a page (linktype="page"), a document (linktype="document") or an
    address (href)."""

    kind: str  # "page", "document" or "href"
    target: str  # the page or document id, or the href
    text: str
    field_label: str
    offset: int


@dataclass(frozen=True)
class ImageReference:
    """An image in the content: a rich-text embed or an image attached to the page."""

    image_id: int | None
    alt_text: str
    field_label: str
    offset: int | None = None


@dataclass
class RichTextContent:
    plain_text: str
    links: list[Link] = field(default_factory=list)
    images: list[ImageReference] = field(default_factory=list)


class _RichTextParser(HTMLParser):
    def __init__(self, label: str):
        super().__init__(convert_charrefs=True)
        self.label = label
        self.parts: list[str] = []
        self.length = 0
        self.links: list[Link] = []
        self.images: list[ImageReference] = []
        self._open_link: tuple[str, str, int] | None = None

    def _write(self, text: str):
        self.parts.append(text)
        self.length += len(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in _BLOCK_TAGS and self.length and not self.parts[-1].endswith("\n"):
            self._write("\n")
        if tag == "a":
            linktype = attributes.get("linktype")
            if linktype in ("page", "document"):
                self._open_link = (linktype, attributes.get("id") or "", self.length)
            elif attributes.get("href"):
                self._open_link = ("href", attributes["href"], self.length)
        elif tag == "embed" and attributes.get("embedtype") == "image":
            image_id = attributes.get("id") or ""
            self.images.append(ImageReference(
                image_id=int(image_id) if image_id.isdigit() else None,
                alt_text=attributes.get("alt") or "", field_label=self.label,
                offset=self.length))
        elif tag == "img":
            self.images.append(ImageReference(image_id=None, alt_text=attributes.get("alt") or "",
                                              field_label=self.label, offset=self.length))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "a" and self._open_link is not None:
            kind, target, start = self._open_link
            text = "".join(self.parts)[start:] if self.length > start else ""
            self.links.append(Link(kind=kind, target=target, text=text.strip()[:100],
                                   field_label=self.label, offset=start))
            self._open_link = None
        if tag in _BLOCK_TAGS and tag != "br" and self.length \
                and not self.parts[-1].endswith("\n"):
            self._write("\n")

    def handle_data(self, data):
        self._write(data)


def parse_rich_text(html: str, *, label: str) -> RichTextContent:
    """Plain text of Wagtail's stored rich text (offsets of findings count in it), with its
    page/document links, other links and image embeds."""
    parser = _RichTextParser(label)
    parser.feed(html or "")
    parser.close()
    return RichTextContent(plain_text="".join(parser.parts).strip("\n"), links=parser.links,
                           images=parser.images)


# Internal addresses that are not pages: files, the API, the admin.
NON_PAGE_PREFIXES = ("/documents/", "/static/", "/media/", "/images/", "/api/", "/admin/",
                     "/cms/", "/django-admin/")


def internal_path(href: str) -> str | None:
    """The site-relative path of an internal link ("/path/"), or None for anything else
    (external, mailto:, anchors, files)."""
    if not href.startswith("/") or href.startswith("//"):
        return None
    path = urlsplit(href).path or "/"
    if path.startswith(NON_PAGE_PREFIXES):
        return None
    return path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"


def check_references(*, links: Iterable[Link], images: Iterable[ImageReference],
                     live_page_ids: set[int], document_ids: set[int], image_ids: set[int],
                     existing_paths: set[str] | None = None) -> list[Finding]:
    """Links to pages that are not live, to documents or images that do not exist, internal
    addresses that lead nowhere, and images without alt text.

    The caller looks the ids and paths up first; ``existing_paths`` (normalised by
    :func:`internal_path`) may be None to skip address checks.
    """
    findings = []
    for link in links:
        shown = link.text or link.target
        if link.kind == "page":
            if not link.target.isdigit() or int(link.target) not in live_page_ids:
                findings.append(Finding(
                    FindingKind.BROKEN_LINK, Severity.WARNING, shown[:255], link.field_label,
                    link.offset, len(link.text), context=f"页面链接 id={link.target}",
                    rule=SOURCE_LINKS, suggestion="链接的页面已删除或未发布，请更新链接",
                    fingerprint=_plain_hash("page", link.target)))
        elif link.kind == "document":
            if not link.target.isdigit() or int(link.target) not in document_ids:
                findings.append(Finding(
                    FindingKind.MISSING_DOCUMENT, Severity.WARNING, shown[:255],
                    link.field_label, link.offset, len(link.text),
                    context=f"文档链接 id={link.target}", rule=SOURCE_LINKS,
                    suggestion="链接的文档已不存在，请重新上传或删除链接",
                    fingerprint=_plain_hash("document", link.target)))
        elif existing_paths is not None:
            path = internal_path(link.target)
            if path is not None and path not in existing_paths:
                findings.append(Finding(
                    FindingKind.BROKEN_LINK, Severity.WARNING, shown[:255], link.field_label,
                    link.offset, len(link.text), context=link.target[:255], rule=SOURCE_LINKS,
                    suggestion="站内地址不存在，请更新链接",
                    fingerprint=_plain_hash("href", path)))
    for image in images:
        if image.image_id is not None and image.image_id not in image_ids:
            findings.append(Finding(
                FindingKind.MISSING_IMAGE, Severity.WARNING, f"图片 id={image.image_id}",
                image.field_label, image.offset, 0, rule=SOURCE_LINKS,
                suggestion="引用的图片已不存在，请重新选择",
                fingerprint=_plain_hash("image", str(image.image_id))))
        if not image.alt_text.strip():
            findings.append(Finding(
                FindingKind.IMAGE_WITHOUT_ALT, Severity.WARNING,
                f"图片 id={image.image_id}" if image.image_id is not None else "图片",
                image.field_label, image.offset, 0, rule=SOURCE_ALT_TEXT,
                suggestion="请为图片填写替代文本（说明图片内容）",
                fingerprint=_plain_hash("alt", str(image.image_id))))
    return findings


def is_personal_data(kind: str) -> bool:
    return kind in PERSONAL_DATA_KINDS
