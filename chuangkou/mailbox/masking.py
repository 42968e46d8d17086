"""Masking of personal data in letters and replies before they are published (信件公开脱敏).

A pure module: text in, text out; nothing here reads the database.

Why: a published letter and its reply must not disclose the writer's or anybody else's personal
data. 个人信息保护法 第二十五条 forbids making personal information public without the person's
separate consent, and 第二十八条 treats ID numbers, financial accounts and whereabouts (行踪轨迹)
as sensitive personal information; the writer's consent to publication covers the letter, not
their identity. regulations.md §10 ("personal data never published without consent: ID numbers,
phones, addresses in published replies are masked").

What :func:`mask_letter_text` masks:

- everything :func:`chuangkou.publishing.contentchecks.mask_personal_data` masks (18-digit ID
  numbers with a valid check character, bank card numbers, mobile numbers, e-mail addresses),
  plus ID-shaped numbers whose check character is wrong (a typo is still somebody's number);
- landline numbers (0571-87654321, （010）12345678): the area code stays;
- vehicle plate numbers, new-energy ones too (浙A12345, 浙AD12345 → 浙A*****…);
- street addresses: the road stays, the numbers go ("文三路 123 号 5 幢 201 室" →
  "文三路***号*幢***室"), also 小区/苑/园 building numbers;
- names: the ``known`` strings (the writer's own name, phone, e-mail and address) wherever they
  occur; 2–3 character names after 我叫/本人/姓名：; a name before 先生/女士/同志/师傅 keeps
  its surname ("张三丰先生" → "张**先生", "张先生" stays as it is). A known or found name is
  masked everywhere as its surname followed by ``*``.

The heuristics lean towards masking too much rather than too little; staff can mask more before
publishing (publication re-masks whatever they write), never less.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from chuangkou.core.masking import COMPOUND_SURNAMES, MASK, mask_name, surname_length
from chuangkou.publishing.contentchecks import mask_personal_data

__all__ = ["mask_letter_text", "mask_name", "names_in_text", "writer_known_values"]


# --- Names ---------------------------------------------------------------------------------

# Common single-character surnames (百家姓, the most frequent ones). Left out on purpose: rare
# surnames that are everyday words before 先生/同志/师傅 (党员同志, 全体同志, 单位同志, 司机师傅,
# 管理员同志, 卫生院同志, 农民工师傅, 中山路王先生, 明天, 时间, 和…).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲房滕屈饶"
    "解牟艾尤穆卓古吉缪简连芦麦褚娄窦戚岑景宫费卜冷晏席米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁荣巫"
    "寇桑郎甄丛仲虞敖巩佘池查迟邝"
)
# Surnames that are also everyday words standing right before a name ("感谢李明先生", "向王明
# 同志反映", "对于张三"): before a title they are read as the word, not as the surname.
WORD_LIKE_SURNAMES = frozenset("谢向于和由从时与及同对为经将在是的给请叫找把被跟代称告问致让帮")
# Characters that do not occur in given names but right after them ("本人于去年…").
NOT_IN_GIVEN_NAME = frozenset(
    "年月日天去今昨在是的了住家曾已于和与及向对为被把将从自因所这那其之也都就还又我你他她们"
    "系现反要想请到来说向给让要对区市省县镇乡路街号楼室上屋老部门局委办科处厅组员府院校所站会社队"
)
TITLES = ("先生", "女士", "同志", "师傅")
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
_HAN_CHAR = re.compile(f"[{_HAN}]")
# 我叫张三，本人李四反映…: the name ends where the text stops being a name.
NAME_AFTER_CUE = re.compile(rf"(?P<cue>我叫|本人)\s*(?P<name>[{_HAN}]{{2,4}})")
# 姓名：王小明 — after a label anything up to four characters is the name.
NAME_AFTER_LABEL = re.compile(rf"姓\s*名\s*[:：]\s*(?P<name>[{_HAN}]{{2,4}})(?![{_HAN}])")
TITLE_AFTER_NAME = re.compile("|".join(TITLES))


def _is_name(candidate: str) -> bool:
    keep = surname_length(candidate)
    surname, given = candidate[:keep], candidate[keep:]
    if keep == 1 and surname not in SURNAMES:
        return False
    return 1 <= len(given) <= 2 and not any(ch in NOT_IN_GIVEN_NAME for ch in given)


def _name_after_cue(run: str, *, cue: str) -> str | None:
    """The longest plausible name (2–3 characters, 4 with a compound surname) at the start of
    ``run``, the Han characters that followed 我叫/本人."""
    if cue == "本人" and run[0] in WORD_LIKE_SURNAMES:
        return None  # 本人向贵单位反映, 本人于去年…: a verb, not a surname
    for length in (4, 3, 2):
        candidate = run[:length]
        if len(candidate) == length and _is_name(candidate) and (
                length < 4 or candidate[:2] in COMPOUND_SURNAMES):
            return candidate
    return None


def _name_before_title(text: str, title_start: int) -> str | None:
    """The name standing right before a title at ``title_start`` ("张三丰先生" → "张三丰"),
    None when only a surname stands there ("张先生")."""
    before = text[max(0, title_start - 4):title_start]
    candidates = []
    for length in (4, 3, 2):
        candidate = before[-length:] if len(before) >= length else ""
        if not candidate or not all(_HAN_CHAR.match(ch) for ch in candidate):
            continue
        if length == 4 and candidate[:2] not in COMPOUND_SURNAMES:
            continue
        if _is_name(candidate):
            candidates.append(candidate)
    for candidate in candidates:
        rest = candidate[1:]
        # "感谢李明先生": 谢 is the verb; the name is the shorter one after it (or only a
        # surname: "向王先生").
        if candidate[0] in WORD_LIKE_SURNAMES and (
                rest[0] in SURNAMES or rest[:2] in COMPOUND_SURNAMES):
            continue
        return candidate
    return None


def names_in_text(text: str) -> list[str]:
    """Personal names the masker recognises in ``text`` by their context (after 我叫/本人/
    姓名：, before 先生/女士/同志/师傅), longest first, each once.

    Publication passes them as ``known`` values when it masks a staff-edited copy, so a name
    found in the original is masked in the edit even where the edit drops its context.
    """
    found: set[str] = set()
    for match in NAME_AFTER_LABEL.finditer(text):
        found.add(match.group("name"))
    for match in NAME_AFTER_CUE.finditer(text):
        if name := _name_after_cue(match.group("name"), cue=match.group("cue")):
            found.add(name)
    for match in TITLE_AFTER_NAME.finditer(text):
        if name := _name_before_title(text, match.start()):
            found.add(name)
    return sorted(found, key=lambda name: (-len(name), name))


# --- Numbers, plates and addresses ---------------------------------------------------------

# An ID-shaped number (region, birth date, sequence, check) even with a wrong check character.
LOOSE_ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[0-9Xx](?![0-9A-Za-z])")
# 0571-87654321, 0571 8765 4321, （010）12345678, 010-12345678转123, 057187654321.
LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(?P<area>[(（]\s*0\d{2,3}\s*[)）]|0\d{2,3})(?P<rest>[-－—\s]?"
    r"[1-9]\d{2,3}[-\s]?\d{4}(?:\s*(?:[-－转]|分机)\s*\d{1,5})?)(?![0-9A-Za-z])")
PROVINCE_ABBREVIATIONS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Za-hj-np-z"
# 浙A12345 (5 characters), 浙AD12345 / 浙A12345D (new energy, 6), 浙A1234学 (driving school);
# at least one digit, so ordinary letters after a province's abbreviation stay.
PLATE_NUMBER = re.compile(
    rf"(?P<head>[{PROVINCE_ABBREVIATIONS}]\s?[{_PLATE_LETTER}])(?P<tail>[·•\s-]?"
    rf"(?=[{_PLATE_LETTER}0-9]{{0,5}}\d)(?:[{_PLATE_LETTER}0-9]{{5,6}}|[{_PLATE_LETTER}0-9]{{4}}"
    rf"[学警挂港澳领]))(?![0-9A-Za-z])")
_NUMBER = r"\d+(?:[-－—]\d+)*"
_UNITS = r"(?:号楼|号院|号|弄|组|栋|幢|单元|楼|层|室|座|户|排)"
# The house numbers after a road (文三路 123 号 5 幢 201 室, 100 弄 5 号, 王家村 3 组 12 号) or
# after an estate (阳光小区 3 幢 2 单元 501 室); a bare room number may end it (2 单元 501).
ADDRESS_NUMBERS = re.compile(
    r"(?:(?<=[路街巷弄村道])|(?<=胡同)|(?<=小区)|(?<=[苑园]))"
    rf"(?P<numbers>\s*{_NUMBER}\s*(?:号楼|号院|号|弄|组|栋|幢|单元)"
    rf"(?:\s*{_NUMBER}\s*{_UNITS})*"
    rf"(?:(?<=[栋幢元楼])\s*\d+(?:[-－—]\d+)*(?![\d年月日])|(?<=号)\s*\d+(?:[-－—]\d+)+)?)")


def _mask_characters(value: str, *, keep_start: int = 0, keep_end: int = 0,
                     which=str.isalnum) -> str:
    positions = [i for i, ch in enumerate(value) if which(ch)]
    hidden = set(positions[keep_start:len(positions) - keep_end])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(value))


def _mask_address_numbers(match: re.Match) -> str:
    return re.sub(r"\d", MASK, re.sub(r"\s+", "", match.group("numbers")))


def _mask_landline(match: re.Match) -> str:
    return match.group("area") + _mask_characters(match.group("rest"), which=str.isdigit)


def _mask_plate(match: re.Match) -> str:
    tail = re.sub(r"[·•\s-]", "", match.group("tail"))
    return match.group("head").replace(" ", "") + MASK * len(tail)


# --- Known values ----------------------------------------------------------------------------


WRITER_FIELDS = ("name", "phone", "email", "address")


def writer_known_values(writer) -> list[str]:
    """The writer's own name, phone, e-mail and address (a ``WriterDetails`` or
    ``WriterInput``), for ``known``."""
    return [value for _kind, value in _writer_values(writer)]


def _writer_values(writer) -> list[tuple[str, str]]:
    if writer is None:
        return []
    pairs = ((kind, (getattr(writer, kind, "") or "").strip()) for kind in WRITER_FIELDS)
    return [(kind, value) for kind, value in pairs if value]


def _looks_like_phone(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return len(digits) >= 5 and bool(re.fullmatch(r"[\d\s()（）+\-－—转]+", value))


def _looks_like_name(value: str) -> bool:
    if re.fullmatch(r"[A-Za-z][A-Za-z .'-]{1,39}", value) and " " in value:
        return True  # a Latin-script name
    return (2 <= len(value) <= 4 and all(_HAN_CHAR.match(ch) for ch in value)
            and (value[0] in SURNAMES or value[:2] in COMPOUND_SURNAMES))


def _kind_of(value: str) -> str:
    if "@" in value:
        return "email"
    if _looks_like_phone(value):
        return "phone"
    if _looks_like_name(value):
        return "name"
    return "address"


def _mask_known(text: str, value: str, kind: str) -> str:
    if kind == "email" or "@" in value:
        local, _, domain = value.partition("@")
        masked = local[:1] + MASK * (len(local) - 1) + "@" + domain
        return re.sub(re.escape(value), lambda _match: masked, text, flags=re.IGNORECASE)
    if kind == "phone" or _looks_like_phone(value):
        digits = re.sub(r"\D", "", value)
        if len(digits) < 5:
            return text
        # However it is spaced or dashed in the text.
        pattern = r"[-－—\s]?".join(re.escape(digit) for digit in digits)
        return re.sub(rf"(?<!\d){pattern}(?!\d)",
                      lambda m: _mask_characters(m.group(), which=str.isdigit), text)
    if len(value) < 2:
        return text  # a single character would mask every occurrence of it
    if kind == "name":
        return text.replace(value, mask_name(value))
    masked = ADDRESS_NUMBERS.sub(_mask_address_numbers, value)
    if masked == value:
        keep = min(2, len(value) // 2)
        masked = value[:keep] + MASK * (len(value) - keep)
    return text.replace(value, masked)


# --- The masker ------------------------------------------------------------------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def mask_letter_text(text: str, *, known: Iterable[str] = (), writer=None,
                     public_numbers: Iterable[str] = ()) -> str:
    """``text`` with personal data masked for publication (see the module docstring).

    ``known`` are values to mask wherever they occur (the writer's name, phone, address, names
    found in the original of a staff-edited text); ``writer`` adds the writer's own details
    from a ``WriterDetails``/``WriterInput``. ``public_numbers`` are landlines that are public
    information, not personal data (a government office's published phone, which a reply
    tells the writer to call); they stay unless they are also a known value. Masking an already
    masked text changes nothing.
    """
    if not text:
        return text
    values = {value.strip(): _kind_of(value.strip()) for value in known
              if value and value.strip()}
    values.update(dict.fromkeys(names_in_text(text), "name"))
    values.update({value: kind for kind, value in _writer_values(writer)})
    # Longest first: a full address before the name it may contain, 王小明 before 王小.
    for value in sorted(values, key=lambda v: (-len(v), v)):
        text = _mask_known(text, value, values[value])
    text = mask_personal_data(text)
    text = LOOSE_ID_NUMBER.sub(
        lambda m: _mask_characters(m.group(), keep_start=4, keep_end=4), text)
    keep = {_digits(number) for number in public_numbers if _digits(number)}
    keep -= {_digits(value) for value in values if _digits(value)}
    text = LANDLINE.sub(
        lambda m: m.group() if _digits(m.group()) in keep else _mask_landline(m), text)
    text = PLATE_NUMBER.sub(_mask_plate, text)
    text = ADDRESS_NUMBERS.sub(_mask_address_numbers, text)
    return text
