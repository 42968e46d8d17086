"""Demo content of the disclosure catalogue: platforms for the city, 教育局, 卫健委 and 东城区,
documents with their catalogue metadata, a repealed document and its replacement, one
document awaiting publication, and 卫健委's 公共企事业单位办事公开 kinds with one hospital."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from chuangkou.core.validators import credit_code_check_character
from chuangkou.organizations.actions import create_body
from chuangkou.organizations.choices import BodyKind
from chuangkou.organizations.models import Body
from chuangkou.sitecluster.actions import create_article, create_column
from chuangkou.sitecluster.choices import ColumnKind
from chuangkou.sitecluster.models import ArticlePage, ClusterSite, ColumnPage

from ..actions.catalogue import (
    add_catalogue_category,
    change_document_validity,
    create_disclosure_platform,
    register_disclosure_document,
)
from ..choices import (
    CategoryScheme,
    DisclosureAttribute,
    DisclosureMethod,
    Genre,
    ServiceAudience,
    Theme,
    Validity,
)
from ..models import CatalogueCategory, DisclosureRecord

HOSPITAL_SLUG = "first-hospital"

# 卫健委 as 主管部门 (条例 第五十五条; 医疗卫生机构信息公开管理办法 国卫办发〔2021〕43号).
SECTOR_KINDS = (
    ("hy-zcfg", "行业政策法规"),
    ("hy-jgxx", "行业监管信息"),
    ("hy-fwzl", "医疗服务质量评价"),
    ("hy-tsjb", "投诉举报受理及处理"),
)
INSTITUTION_KINDS = (
    ("jg-jbxx", "机构基本信息"),
    ("jg-fwzn", "服务指南"),
    ("jg-sfbz", "收费项目及标准"),
    ("jg-yljg", "医疗服务价格"),
    ("jg-ybzc", "医保政策"),
    ("jg-fwcn", "服务承诺"),
    ("jg-bmcs", "便民措施"),
    ("jg-tsqd", "投诉渠道及处理"),
)


@dataclass(frozen=True)
class DemoDocument:
    body: str
    column: tuple[str, str]  # (site slug or "hospital", column slug)
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    category: str  # statutory code, or "own:<code>" for the body's (or department's) own
    genre: str
    theme: str
    written_on: date
    document_number: str = ""
    summary: str = ""
    publish: bool = True
    audience: str = ServiceAudience.PUBLIC


DOCUMENTS = (
    DemoDocument(
        "education", ("jyj", "tzgg"), "ywjy-zsrx-2025",
        "示例市教育局关于做好2025年义务教育招生入学工作的通知",
        ("各区教育局，各直属学校：",
         "为做好2025年全市义务教育招生入学工作，根据《中华人民共和国义务教育法》和省教育厅"
         "有关规定，现就有关事项通知如下。",
         "一、坚持免试就近入学。公办学校按照划定的招生片区招生，不得以任何形式的考试、测评选拔学生。",
         "二、规范民办学校招生。民办义务教育学校与公办学校同步招生，报名人数超过招生计划的实行电脑随机录取。",
         "三、保障随迁子女入学。符合条件的随迁子女按照相对就近原则统筹安排入学。"),
        "livelihood", Genre.NOTICE, Theme.SCIENCE_EDUCATION, date(2025, 4, 8),
        "示教发〔2025〕2号", "部署2025年义务教育招生入学工作"),
    DemoDocument(
        "education", ("jyj", "tzgg"), "ywjy-zsrx-2026",
        "示例市教育局关于做好2026年义务教育招生入学工作的通知",
        ("各区教育局，各直属学校：",
         "为做好2026年全市义务教育招生入学工作，现就有关事项通知如下。《示例市教育局关于做好"
         "2025年义务教育招生入学工作的通知》（示教发〔2025〕2号）同时废止。",
         "一、坚持免试就近入学。各区于4月30日前公布学校招生片区，公办学校不得跨片区招生。",
         "二、实行网上报名。适龄儿童少年家长通过示例市义务教育招生平台报名，无需提交纸质材料。",
         "三、落实随迁子女入学政策。以居住证为主要依据，保障随迁子女在流入地平等接受义务教育。"),
        "livelihood", Genre.NOTICE, Theme.SCIENCE_EDUCATION, date(2026, 4, 10),
        "示教发〔2026〕3号", "部署2026年义务教育招生入学工作，实行网上报名"),
    DemoDocument(
        "education", ("jyj", "tzgg"), "fwxsf-gl",
        "示例市教育局关于进一步规范中小学服务性收费和代收费管理的通知",
        ("各区教育局，各直属学校：",
         "为规范中小学服务性收费和代收费行为，减轻家庭负担，现就有关事项通知如下。",
         "一、服务性收费和代收费应当坚持学生自愿和非营利原则，不得与教育教学活动捆绑。",
         "二、学校应当在校园公示栏和学校网站公示收费项目、标准、依据和投诉电话。",
         "三、严禁以任何名义向学生或家长强制收取费用。"),
        "own:jiaoyu-shoufei", Genre.NORMATIVE_DOCUMENT, Theme.SCIENCE_EDUCATION,
        date(2026, 3, 16), "示教发〔2026〕5号", "规范中小学服务性收费和代收费，实行收费公示"),
    DemoDocument(
        "education", ("jyj", "tzgg"), "shuqi-anquan-2026",
        "示例市教育局关于开展2026年暑期学生安全教育工作的通知",
        ("各区教育局，各直属学校：",
         "暑期将至，为切实保障学生假期安全，现就开展暑期安全教育工作通知如下。",
         "一、放假前各校要开展一次防溺水、交通安全和防范电信网络诈骗专题教育。",
         "二、通过家长会、致家长的一封信等形式，提醒家长切实履行监护责任。"),
        "livelihood", Genre.NOTICE, Theme.SCIENCE_EDUCATION, date(2026, 6, 20),
        "示教发〔2026〕9号", "部署暑期防溺水、交通安全等安全教育", publish=False),
    DemoDocument(
        "health", ("wjw", "tzgg"), "yljg-xxgk-ml",
        "示例市卫生健康委员会关于印发示例市医疗卫生机构信息公开目录的通知",
        ("各区卫生健康局，市属各医疗卫生机构：",
         "根据《医疗卫生机构信息公开管理办法》，我委制定了《示例市医疗卫生机构信息公开目录》，"
         "现印发给你们，请认真贯彻执行。",
         "各医疗卫生机构应当按照目录公开机构基本信息、服务指南、收费项目及标准、医疗服务价格、"
         "医保政策、服务承诺、便民措施和投诉渠道，并及时更新。"),
        "own:hy-zcfg", Genre.NORMATIVE_DOCUMENT, Theme.HEALTH_SPORTS, date(2026, 2, 26),
        "示卫发〔2026〕4号", "明确医疗卫生机构信息公开的八类内容"),
    DemoDocument(
        "health", ("wjw", "tzgg"), "xiaji-crb-fk",
        "示例市卫生健康委员会关于做好2026年夏季传染病防控工作的通知",
        ("各区卫生健康局，市属各医疗卫生机构：",
         "夏季是肠道传染病和虫媒传染病的高发季节。为做好防控工作，现通知如下。",
         "一、加强监测预警，各医疗机构严格落实传染病疫情报告制度。",
         "二、做好医疗救治准备，二级以上医院规范设置肠道门诊。",
         "三、广泛开展健康宣传，引导群众注意饮食卫生、做好防蚊灭蚊。"),
        "emergencies", Genre.NOTICE, Theme.HEALTH_SPORTS, date(2026, 5, 20),
        "示卫发〔2026〕7号", "部署夏季肠道和虫媒传染病防控"),
    DemoDocument(
        "dongcheng", ("dongcheng", "tzgg"), "donghu-ljxq-gz",
        "示例市东城区人民政府关于东湖片区老旧小区改造项目的公告",
        ("为改善居民居住条件，区政府决定实施东湖片区老旧小区改造项目，现将有关事项公告如下。",
         "一、改造范围：东湖路以东、府前街以北的12个老旧小区，共计86栋住宅楼。",
         "二、改造内容：屋面防水、外墙保温、雨污分流、加装电梯和小区环境整治。",
         "三、实施时间：2026年5月至2027年6月。施工期间请居民注意安全，理解支持。"),
        "municipal_construction", Genre.ANNOUNCEMENT, Theme.CONSTRUCTION_ENVIRONMENT,
        date(2026, 4, 22), "东政告〔2026〕1号", "东湖片区12个老旧小区改造的范围、内容和时间"),
    DemoDocument(
        "city", ("portal", "tzgg"), "zwgk-gzyd-2026",
        "示例市人民政府办公室关于印发示例市2026年政务公开工作要点的通知",
        ("各区人民政府，市政府各部门：",
         "《示例市2026年政务公开工作要点》已经市政府同意，现印发给你们，请认真组织实施。",
         "各地各部门要围绕经济社会发展重点任务，加强政策解读和回应关切，全面提升政务公开质量；"
         "严格落实《中华人民共和国政府信息公开条例》，主动公开的政府信息自形成或者变更之日起"
         "20个工作日内及时公开。"),
        "other_statutory", Genre.NOTICE, Theme.GENERAL_AFFAIRS, date(2026, 3, 31),
        "示政办发〔2026〕6号", "部署2026年全市政务公开重点工作"),
    DemoDocument(
        HOSPITAL_SLUG, ("hospital", "yygk"), "ylfw-jg",
        "示例市第一人民医院医疗服务价格公示",
        ("根据省医疗服务价格管理有关规定，现将本院主要医疗服务项目价格公示如下。",
         "普通门诊诊察费：三级医院每人次15元；副主任医师诊察费每人次30元；主任医师诊察费每人次45元。",
         "床位费：三人间每床日40元；双人间每床日60元。",
         "如有疑问，请拨打本院价格咨询电话，或向市卫生健康委员会投诉。"),
        "own:jg-yljg", Genre.ANNOUNCEMENT, Theme.HEALTH_SPORTS, date(2026, 1, 15),
        summary="门诊诊察费和床位费价格公示"),
    DemoDocument(
        HOSPITAL_SLUG, ("hospital", "yygk"), "jyzn",
        "示例市第一人民医院就医指南",
        ("门诊时间：周一至周日上午8:00-12:00，下午13:30-17:30；急诊24小时开放。",
         "预约方式：可通过医院官方网站、微信公众号或现场自助机预约挂号，预约号源提前7天放号。",
         "就诊流程：预约挂号—按时签到—候诊就诊—缴费—检查检验或取药。"),
        "own:jg-fwzn", Genre.OTHER, Theme.HEALTH_SPORTS, date(2026, 1, 6),
        summary="门诊时间、预约方式和就诊流程"),
)

NEWS_COLUMNS = {"education": "jydt", "health": "wjdt", "dongcheng": "dcdt"}


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _hospital_credit_code() -> str:
    # 12 = 事业单位, then the city's division code and an organisation code.
    first_seventeen = "12330100MB0000001"
    return first_seventeen + credit_code_check_character(first_seventeen)


def _ensure_categories(health: Body) -> None:
    for scheme, kinds in ((CategoryScheme.SECTOR_SUPERVISION, SECTOR_KINDS),
                          (CategoryScheme.INSTITUTION, INSTITUTION_KINDS)):
        for code, name in kinds:
            if not CatalogueCategory.objects.filter(body=health, scheme=scheme,
                                                    code=code).exists():
                add_catalogue_category(body=health, name=name, code=code, scheme=scheme)


def _ensure_hospital(health: Body, site: ClusterSite) -> tuple[Body, ColumnPage]:
    hospital = Body.objects.filter(slug=HOSPITAL_SLUG).first()
    if hospital is None:
        hospital = create_body(
            parent=health, name="示例市第一人民医院", short_name="市一医院", slug=HOSPITAL_SLUG,
            kind=BodyKind.PUBLIC_INSTITUTION, credit_code=_hospital_credit_code(),
            division_code="330100", address="示例市健康路88号", phone="12320",
            office_hours="门诊 周一至周日 8:00-17:30，急诊24小时")
    column = ColumnPage.objects.child_of(site.home_page).filter(slug="yygk").first()
    if column is None:
        column = create_column(parent=site.home_page, title="示例市第一人民医院信息公开",
                               slug="yygk", kind=ColumnKind.NOTICE, responsible_body=hospital,
                               description="公共企事业单位办事公开：示例市第一人民医院。")
    return hospital, column


def _category(document: DemoDocument, body: Body) -> CatalogueCategory:
    if not document.category.startswith("own:"):
        return CatalogueCategory.objects.get(body=None, scheme=CategoryScheme.STATUTORY,
                                             code=document.category)
    code = document.category.removeprefix("own:")
    return CatalogueCategory.objects.filter(code=code).filter(
        body__in=[body, *body.get_ancestors()]).get()


def _register(*, page, body, category, document: DemoDocument | None = None,
              written_on: date, genre: str, theme: str, summary: str = "") -> DisclosureRecord:
    existing = DisclosureRecord.objects.filter(page_id=page.pk).first()
    if existing is not None:
        return existing
    formed_on = written_on
    if document is not None and not document.publish:
        formed_on = timezone.localdate() - timedelta(days=3)
        written_on = min(written_on, formed_on)
    return register_disclosure_document(
        page=page, body=body, category=category, written_on=written_on, formed_on=formed_on,
        document_number=document.document_number if document else "", theme=theme,
        genre=genre, audience=document.audience if document else ServiceAudience.PUBLIC,
        attribute=DisclosureAttribute.PROACTIVE, withheld_reason="",
        method=DisclosureMethod.WEBSITE, summary=summary)


def _ensure_document(document: DemoDocument, *, bodies: dict, columns: dict) -> DisclosureRecord:
    body = bodies[document.body]
    column = columns[document.column]
    article = ArticlePage.objects.child_of(column).filter(slug=document.slug).first()
    if article is None:
        article = create_article(
            column=column, title=document.title, slug=document.slug,
            body="".join(f"<p>{paragraph}</p>" for paragraph in document.paragraphs),
            source=body.name, summary=document.summary, publish=document.publish)
    return _register(page=article, body=body, category=_category(document, body),
                     document=document, written_on=document.written_on, genre=document.genre,
                     theme=document.theme, summary=document.summary)


def _register_news(body: Body, site: ClusterSite, *, limit: int) -> int:
    column = ColumnPage.objects.child_of(site.home_page).filter(slug=NEWS_COLUMNS[body.slug]).first()
    if column is None:
        return 0
    articles = ArticlePage.objects.child_of(column).live().order_by("-publication_date")[:limit]
    category = CatalogueCategory.objects.get(body=None, scheme=CategoryScheme.STATUTORY,
                                             code="functions" if body.slug == "dongcheng"
                                             else "livelihood")
    for article in articles:
        _register(page=article, body=body, category=category,
                  written_on=timezone.localdate(article.publication_date),
                  genre=Genre.WORK_UPDATE,
                  theme={"education": Theme.SCIENCE_EDUCATION, "health": Theme.HEALTH_SPORTS}
                  .get(body.slug, Theme.GENERAL_AFFAIRS),
                  summary=(article.summary or "")[:100])
    return len(articles)


@transaction.atomic
def load_catalogue_demo(*, stdout=None) -> None:
    bodies = {body.slug: body for body in Body.objects.filter(
        slug__in=["city", "education", "health", "dongcheng", HOSPITAL_SLUG])}
    sites = {site.home_page.slug: site for site in ClusterSite.objects.select_related(
        "home_page", "owner_body")}
    if not {"city", "education", "health", "dongcheng"} <= set(bodies) or not {
            "portal", "jyj", "wjw", "dongcheng"} <= set(sites):
        _say(stdout, "政务公开目录演示数据：请先载入站群演示数据（bodies 和 sites）。")
        return
    for body_slug, site_slug in (("city", "portal"), ("education", "jyj"), ("health", "wjw"),
                                 ("dongcheng", "dongcheng")):
        create_disclosure_platform(body=bodies[body_slug], parent_page=sites[site_slug].home_page)
    _ensure_categories(bodies["health"])
    if not CatalogueCategory.objects.filter(body=bodies["education"],
                                            code="jiaoyu-shoufei").exists():
        fees = CatalogueCategory.objects.get(body=None, scheme=CategoryScheme.STATUTORY,
                                             code="fees")
        add_catalogue_category(body=bodies["education"], name="教育收费", code="jiaoyu-shoufei",
                               parent=fees)
    hospital, hospital_column = _ensure_hospital(bodies["health"], sites["wjw"])
    bodies[HOSPITAL_SLUG] = hospital
    columns = {("hospital", "yygk"): hospital_column}
    for document in DOCUMENTS:
        key = document.column
        if key not in columns:
            site = sites[key[0]]
            parent = site.home_page
            if key[0] == "portal":
                parent = ColumnPage.objects.child_of(parent).get(slug="zwgk")
            columns[key] = ColumnPage.objects.child_of(parent).get(slug=key[1])
    records = {document.slug: _ensure_document(document, bodies=bodies, columns=columns)
               for document in DOCUMENTS}
    old, new = records["ywjy-zsrx-2025"], records["ywjy-zsrx-2026"]
    if old.validity != Validity.REPEALED:
        change_document_validity(record=old, validity=Validity.REPEALED,
                                 changed_on=new.written_on, replaced_by=new)
    news = sum(_register_news(bodies[slug], sites[site_slug], limit=2)
               for slug, site_slug in (("education", "jyj"), ("health", "wjw"),
                                       ("dongcheng", "dongcheng")))
    _say(stdout, f"政务公开目录演示数据：4个公开平台，{len(DOCUMENTS) + news}条公开目录信息。")
