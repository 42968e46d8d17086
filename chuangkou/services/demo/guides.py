"""The eight life-event guides of Jiangmen's portal (结婚登记, 怀孕生育, 小孩上学, 户籍办理,
养老保险, 交通出行, 人才引进, 旅游观光) as demo data, with the items they point at
(``demo/guide_items.py``). Idempotent: a second run updates the same guides by slug.

Tests load them on the fixture's cluster by passing ``body_for_slug`` (its bodies have other
slugs than the sitecluster demo's); the demo loader passes nothing and the slugs are looked up.
"""

from dataclasses import dataclass, field

from django.db import transaction

from chuangkou.organizations.models import Body

from ..actions.guides import (
    GuideData,
    GuideQuestionData,
    GuideStepData,
    publish_life_event_guide,
    save_life_event_guide,
)
from ..choices import Audience
from .guide_items import load_guide_items

__all__ = ["DEMO_GUIDES", "GuidesDemoResult", "load_guides_demo"]

YES, NO = "是", "否"


def _q(text, *options, help_text=""):
    return GuideQuestionData(text=text, help_text=help_text, options=tuple(options))


def _s(title, code="", *conditions, description=""):
    return GuideStepData(title=title, description=description, item_code=code,
                         required_options=tuple(conditions))


# (slug, title, summary, questions, steps); a step's conditions are (question index, label).
DEMO_GUIDES = (
    ("jiehun-dengji", "结婚登记",
     "从婚前检查、结婚登记到婚后户口迁移，一次了解要办的事和要带的材料。",
     (_q("双方户籍是否都在本市？", "都在本市", "一方在本市", "都不在本市",
         help_text="户籍不在本市的，可凭本市居住证办理“跨省通办”结婚登记。"),
      _q("是否参加婚前医学检查？", YES, NO, help_text="本市婚前医学检查免费，自愿参加。"),
      _q("婚后是否需要把一方户口迁入本市？", YES, NO)),
     (_s("婚前医学检查", "GUIDE-JH-001", (1, YES),
         description="建议在登记前一至三个月到指定医疗机构检查。"),
      _s("办理居住证", "GUIDE-HJ-004", (0, "都不在本市"),
         description="双方户籍都不在本市的，至少一方需先取得本市居住证。"),
      _s("办理结婚登记", "GUIDE-JH-002", (0, "都在本市")),
      _s("办理结婚登记", "GUIDE-JH-002", (0, "一方在本市")),
      _s("凭居住证办理结婚登记", "GUIDE-JH-003", (0, "都不在本市")),
      _s("夫妻投靠户口迁入", "GUIDE-HJ-002", (2, YES)),
      _s("户口迁入后换领居民身份证", "GUIDE-HJ-006", (2, YES)))),
    ("huaiyun-shengyu", "怀孕生育",
     "从怀孕建档到宝宝出生报户口、参加医保、领取生育津贴。",
     (_q("是否第一次生育？", YES, NO),
      _q("夫妻一方户籍是否在本市？", YES, NO),
      _q("是否参加生育保险（职工医保）？", YES, NO,
         help_text="单位为您缴纳职工医保的，一般同时参加了生育保险。")),
     (_s("生育登记", "GUIDE-SY-001",
         description="第一孩、第二孩、第三孩均实行生育登记，可在网上办理。"),
      _s("孕产妇建档，领取母子健康手册", "GUIDE-SY-002",
         description="怀孕13周内到居住地社区卫生服务中心建档。"),
      _s("办理居住证", "GUIDE-HJ-004", (1, NO)),
      _s("领取出生医学证明", "GUIDE-SY-003"),
      _s("新生儿报户口", "GUIDE-HJ-001", (1, YES)),
      _s("新生儿参加城乡居民医保", "GUIDE-SY-005"),
      _s("申领生育津贴", "GUIDE-SY-004", (2, YES)))),
    ("xiaohai-shangxue", "小孩上学",
     "小学、初中入学报名，随迁子女积分入学和学生资助。",
     (_q("孩子要上哪个学段？", "小学一年级", "初中一年级"),
      _q("孩子户籍是否在本市？", YES, NO),
      _q("家庭是否经济困难？", YES, NO, help_text="如持有低保证、特困供养证等。")),
     (_s("办理居住证", "GUIDE-HJ-004", (1, NO)),
      _s("随迁子女积分入学资格审核", "GUIDE-SX-003", (1, NO)),
      _s("预防接种证查验", "GUIDE-SX-004", (0, "小学一年级")),
      _s("小学一年级入学登记", "GUIDE-SX-001", (0, "小学一年级")),
      _s("初中入学报名", "GUIDE-SX-002", (0, "初中一年级")),
      _s("申请家庭经济困难学生资助", "GUIDE-SX-005", (2, YES)))),
    ("huji-banli", "户籍办理",
     "新生儿落户、投靠迁入、人才落户和户口迁出。",
     (_q("您要办理的是？", "新生儿落户", "市外迁入本市", "本市迁往市外"),
      _q("迁入的原因是？", "夫妻投靠", "人才引进", "其他",
         help_text="办理“市外迁入本市”时回答，其余情况任选即可。")),
     (_s("领取出生医学证明", "GUIDE-SY-003", (0, "新生儿落户")),
      _s("新生儿出生登记", "GUIDE-HJ-001", (0, "新生儿落户")),
      _s("人才认定", "GUIDE-RC-001", (0, "市外迁入本市"), (1, "人才引进")),
      _s("夫妻投靠户口迁入", "GUIDE-HJ-002", (0, "市外迁入本市"), (1, "夫妻投靠")),
      _s("人才引进落户", "GUIDE-HJ-003", (0, "市外迁入本市"), (1, "人才引进")),
      _s("换领居民身份证", "GUIDE-HJ-006", (0, "市外迁入本市")),
      _s("户口迁出", "GUIDE-HJ-005", (0, "本市迁往市外")))),
    ("yanglao-baoxian", "养老保险",
     "参保登记、关系转移、退休领取养老金和每年的资格认证。",
     (_q("您的参保身份是？", "企业职工", "灵活就业人员", "城乡居民"),
      _q("是否已达到领取养老金的年龄？", YES, NO,
         help_text="城乡居民为年满60周岁；职工按法定退休年龄。"),
      _q("是否在外地缴纳过养老保险？", YES, NO)),
     (_s("职工养老保险参保登记", "GUIDE-YL-001", (0, "企业职工"), (1, NO),
         description="由用人单位在招用之日起30日内办理。"),
      _s("灵活就业人员参保登记", "GUIDE-YL-002", (0, "灵活就业人员"), (1, NO)),
      _s("城乡居民养老保险参保登记", "GUIDE-YL-003", (0, "城乡居民"), (1, NO)),
      _s("养老保险关系转移接续", "GUIDE-YL-004", (2, YES)),
      _s("申请退休，领取基本养老金", "GUIDE-YL-005", (0, "企业职工"), (1, YES),
         description="领取后每年通过手机人脸识别完成一次待遇领取资格认证。"),
      _s("申请退休，领取基本养老金", "GUIDE-YL-005", (0, "灵活就业人员"), (1, YES),
         description="领取后每年通过手机人脸识别完成一次待遇领取资格认证。"),
      _s("领取城乡居民养老金", "GUIDE-YL-006", (0, "城乡居民"), (1, YES),
         description="领取后每年通过手机人脸识别完成一次待遇领取资格认证。"))),
    ("jiaotong-chuxing", "交通出行",
     "学车考证、新车上牌、驾驶证换证和老年人乘车优待。",
     (_q("是否已有机动车驾驶证？", YES, NO),
      _q("是否购买了新车需要上牌？", YES, NO),
      _q("是否年满65周岁？", YES, NO, help_text="65周岁以上可申领公交优待卡。")),
     (_s("驾驶人考试报名", "GUIDE-JT-001", (0, NO)),
      _s("驾驶证期满换证", "GUIDE-JT-003", (0, YES),
         description="有效期满前90日内可在网上申请，新证邮寄到家。"),
      _s("新车注册登记", "GUIDE-JT-002", (1, YES)),
      _s("申领老年人公交优待卡", "GUIDE-JT-004", (2, YES)))),
    ("rencai-yinjin", "人才引进",
     "人才认定、落户、住房补贴和博士安家补贴。",
     (_q("您的最高学历是？", "博士研究生", "硕士研究生", "本科"),
      _q("是否需要把户口迁入本市？", YES, NO),
      _q("本人及配偶在本市是否有自有住房？", YES, NO)),
     (_s("职工养老保险参保登记", "GUIDE-YL-001",
         description="人才政策以在本市就业参保为前提，由用人单位办理。"),
      _s("人才认定", "GUIDE-RC-001"),
      _s("人才引进落户", "GUIDE-HJ-003", (1, YES)),
      _s("换领居民身份证", "GUIDE-HJ-006", (1, YES)),
      _s("申请人才住房补贴", "GUIDE-RC-002", (2, NO)),
      _s("申请博士安家补贴", "GUIDE-RC-003", (0, "博士研究生")))),
    ("lvyou-guanguang", "旅游观光",
     "景区预约、境外游客住宿登记、临时身份证明和旅游投诉。",
     (_q("您从哪里来？", "本市", "国内其他城市", "港澳台或国外"),
      _q("身份证是否随身携带？", YES, NO, help_text="乘坐火车、飞机和住宿都需要身份证明。")),
     (_s("预约景区和文化场馆", "GUIDE-LY-001",
         description="开平碉楼与村落、梁启超故居等热门景点节假日需提前预约。"),
      _s("境外人员临时住宿登记", "GUIDE-LY-002", (0, "港澳台或国外"),
         description="住在亲友家或民宿的，由留宿人在24小时内办理。"),
      _s("开具临时身份证明", "GUIDE-LY-003", (1, NO)),
      _s("遇到纠纷时投诉", "GUIDE-LY-004",
         description="保留合同和消费凭证，可拨打12345或在网上投诉。"))),
)


@dataclass
class GuidesDemoResult:
    guides: list = field(default_factory=list)
    created: int = 0
    items: int = 0

    def __str__(self) -> str:
        return (f"场景式服务 {len(self.guides)} 个（新建 {self.created} 个），"
                f"涉及事项 {self.items} 项")


@transaction.atomic
def load_guides_demo(*, stdout=None, body_for_slug=None) -> GuidesDemoResult:
    """Create or update the eight guides and their items, all published.

    The responsible body is the city government (slug ``city``); ``body_for_slug`` maps demo
    slugs onto other bodies (tests).
    """
    resolve = body_for_slug or (lambda slug: Body.objects.get(slug=slug))
    items = load_guide_items(body_for_slug=resolve, stdout=stdout)
    city = resolve("city")
    result = GuidesDemoResult(items=len(items))
    for order, (slug, title, summary, questions, steps) in enumerate(DEMO_GUIDES, start=1):
        guide, created = save_life_event_guide(
            data=GuideData(title=title, slug=slug, summary=summary, audience=Audience.PERSON,
                           responsible_body=city, sort_order=order, questions=questions,
                           steps=steps),
            actor=None, check_permission=False)
        if not guide.is_published:
            guide = publish_life_event_guide(guide=guide, actor=None, check_permission=False)
        result.guides.append(guide)
        result.created += created
    if stdout is not None:
        stdout.write(f"{result}\n")
    return result
