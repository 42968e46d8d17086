"""Demo letters for the mailbox (政民互动): the kinds of letters the seed reports describe
(Qingdao's merged mailbox, Xicheng's back office under the supervision bureau), taken through
the real actions so every state of the closed loop is on show."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.accounts.demo import citizens as demo_citizens
from chuangkou.organizations.models import Body

from .. import actions, queries
from ..choices import LetterStatus
from ..models import Letter, LetterKind, RoutingRule


@dataclass(frozen=True)
class DemoLetter:
    token: str
    kind: str
    addressed_to: str | None
    title: str
    content: str
    writer: str
    phone: str
    days_ago: int
    outcome: str  # answered | answered_published | in_progress | awaiting | overdue | held
    reply: str = ""
    rating: int | None = None
    rating_comment: str = ""


DEMO_ROUTING_RULES = (
    # (name, priority, kind code or None, keywords, target body slug)
    ("入学招生类咨询交市教育局", 10, None, "入学\n招生\n学位\n中小学", "education"),
    ("东城区道路、施工和噪音交东城区", 20, None, "东城区\n施工噪音\n夜间施工\n人行道", "dongcheng"),
)

DEMO_LETTERS = (
    DemoLetter(
        "demo-letter-01", "zixun", "education", "关于2026年秋季小学入学登记材料的咨询",
        "孩子今年满6周岁，户籍在东城区，我和孩子妈妈在滨江区租房居住已满两年。请问小学入学"
        "登记需要提供哪些材料？租房合同是否必须在住建部门备案？我的电话13905710123，王建国。",
        "王建国", "13905710123", 4, "answered_published",
        reply="您好！根据《示例市2026年义务教育阶段学校招生入学工作实施意见》，非本区户籍适龄"
              "儿童在居住地入学，需提供户口簿、监护人居住证、经备案的房屋租赁合同及连续缴纳"
              "社会保险证明。租赁合同须在住房和城乡建设部门办理登记备案。具体可咨询滨江区教育局"
              "招生办公室。感谢您的来信。",
        rating=5, rating_comment="答复清楚，谢谢。"),
    DemoLetter(
        "demo-letter-02", "jianyi", None, "建议在东城区和平路与建设路口增设行人过街信号灯",
        "和平路与建设路交叉口附近有两所小学和一个菜市场，早晚高峰行人很多，但路口没有行人"
        "过街信号灯，老人和学生过马路很危险。建议增设行人信号灯并施划斑马线。我住和平路18号"
        "3幢201室，可以随时联系我。",
        "李秀英", "0571-86001234", 10, "answered_published",
        reply="感谢您对交通安全的关注。经与区公安分局交警大队现场勘查，该路口已列入2026年度"
              "交通设施完善计划，计划于12月底前增设行人过街信号灯并重新施划人行横道线。",
        rating=4),
    DemoLetter(
        "demo-letter-03", "tousu", "dongcheng", "东城区幸福里小区旁工地夜间施工噪音扰民",
        "幸福里小区东侧工地连续两周晚上十一点以后还在施工，渣土车进出频繁，噪音很大，"
        "影响居民休息。请有关部门查处。",
        "陈志强", "13757120456", 25, "overdue"),
    DemoLetter(
        "demo-letter-04", "zixun", None, "如何申请公开学校建设项目的审批文件？",
        "我想了解我家附近新建学校的立项和规划审批文件，请问应当向哪个部门申请政府信息公开，"
        "网上可以申请吗？",
        "周敏", "13812345678", 2, "awaiting"),
    DemoLetter(
        "demo-letter-05", "piping", "education", "对学区划分调整信息发布不及时的意见",
        "今年学区划分调整的正式文件在报名前三天才发布，家长准备材料时间太紧。希望今后提前"
        "公布，并在网站上集中发布。",
        "赵丽", "13656781234", 8, "answered",
        reply="感谢您的批评意见。今年学区调整方案经过听证和公示程序，发布时间较往年推迟。"
              "明年起我局将在报名前一个月发布学区划分方案，并在门户网站“政府信息公开”栏目"
              "集中公开。",
        rating=2, rating_comment="希望明年确实能提前公布，今年已经受影响了。"),
    DemoLetter(
        "demo-letter-06", "qiuzhu", "dongcheng", "独居老人家中无人照看，请求社区上门探访",
        "我母亲今年82岁，独自居住在东城区新华街道，我在外地工作。最近她腿脚不便，"
        "能否请社区安排人员定期上门探访？",
        "孙伟", "13588996677", 3, "in_progress"),
    DemoLetter(
        "demo-letter-07", "tousu", None, "小区电梯里张贴网络赌博广告",
        "最近我们小区电梯里多次出现网络赌博、博彩平台的小广告，还有二维码，担心老人和孩子"
        "上当，请有关部门处理。",
        "吴芳", "13700001111", 1, "held"),
)


# The demo citizen 张伟's own letters (written while signed in): one answered and waiting for his
# rating, one being handled; they show on his 我的主页 and under 我的来信.
CITIZEN_LETTERS = (
    DemoLetter(
        "demo-citizen-zhangwei-01", "zixun", "education", "关于新生儿办理居住证积分入学的咨询",
        "我在示例市居住满三年并已办理居住证，孩子明年上小学。请问居住证积分入学需要提前多久"
        "申请积分，积分达到多少可以在居住地就近入学？",
        "张伟", "", 6, "answered",
        reply="您好！居住证积分入学申请一般在每年4月集中受理，请于入学当年4月30日前通过"
              "示例市教育局网站提交积分申请。积分达到当年公布的分数线即可在居住地所在学区"
              "入学，具体分数线于5月底公布。感谢您的来信。"),
    DemoLetter(
        "demo-citizen-zhangwei-02", "jianyi", "dongcheng", "建议在和平路社区增设电动自行车充电桩",
        "和平路社区有不少居民在楼道内给电动自行车充电，存在火灾隐患。建议在小区空地集中"
        "设置电动自行车充电桩，方便居民安全充电。",
        "张伟", "", 2, "in_progress"),
)


def _at(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def _users(*usernames: str) -> dict:
    users = get_user_model().objects.in_bulk(usernames, field_name="username")
    return users if len(users) == len(usernames) else {}


def load_letters_demo(*, stdout=None) -> None:
    users = _users("admin", "szf_dispatcher", "szf_supervisor", "jyj_letters",
                   "jyj_letters_review", "dongcheng_letters", "dongcheng_letters_review")
    bodies = Body.objects.in_bulk(["city", "education", "dongcheng"], field_name="slug")
    if not users or len(bodies) < 3:
        if stdout:
            stdout.write("政民互动演示：缺少演示机构或信件岗位账号，请先运行 load_demo。")
        return
    if not RoutingRule.objects.exists():
        for name, priority, kind_code, keywords, target in DEMO_ROUTING_RULES:
            actions.save_routing_rule(
                actor=users["admin"], name=name, priority=priority,
                kind=LetterKind.objects.get(code=kind_code) if kind_code else None,
                keywords=keywords, target_body=bodies[target], is_active=True)
    handlers = {"education": (users["jyj_letters"], users["jyj_letters_review"]),
                "dongcheng": (users["dongcheng_letters"], users["dongcheng_letters_review"])}
    made = 0
    for spec in DEMO_LETTERS:
        if Letter.objects.filter(form_token=spec.token).exists():
            continue
        made += 1
        letter, _code = actions.submit_letter(
            draft=actions.LetterDraft(
                kind=LetterKind.objects.get(code=spec.kind),
                addressed_body=bodies[spec.addressed_to] if spec.addressed_to else None,
                title=spec.title, content=spec.content, may_publish=True),
            writer=actions.WriterInput(name=spec.writer, phone=spec.phone),
            form_token=spec.token, submitted_at=_at(spec.days_ago))
        if spec.outcome in ("held", "awaiting"):
            continue
        if letter.status == LetterStatus.AWAITING_DISPATCH:
            target = "education" if "学校" in spec.content else "dongcheng"
            letter = actions.dispatch_letter(letter=letter, actor=users["szf_dispatcher"],
                                             body=bodies[target])
        handler, reviewer = handlers[letter.assigned_body.slug]
        if spec.outcome == "overdue":
            actions.urge_letter(letter=letter, actor=users["szf_supervisor"],
                                note="群众反映强烈，请于三个工作日内核查处理并报告办理情况。")
            continue
        if spec.outcome == "in_progress":
            actions.save_reply_draft(letter=letter, actor=handler,
                                     text="已转新华街道社区卫生服务中心和社区居委会，安排网格员每周上门探访。")
            continue
        reply = actions.submit_reply_for_review(letter=letter, actor=handler, text=spec.reply)
        letter = actions.approve_reply(reply=reply, actor=reviewer)
        if spec.outcome == "answered_published":
            actions.publish_letter(letter=letter, actor=reviewer)
        if spec.rating:
            actions.rate_letter(letter=letter, level=spec.rating, comment=spec.rating_comment)
    made += _load_citizen_letters(bodies=bodies, handlers=handlers)
    # The overdue letter is escalated to the supervisors as the daily timer would.
    actions.process_mailbox_deadlines(today=timezone.localdate())
    if stdout:
        held = queries.letters_held_for(users["szf_dispatcher"]).count()
        stdout.write(f"政民互动演示：新增 {made} 封来信（待审核 {held} 封）。")


def _load_citizen_letters(*, bodies: dict, handlers: dict) -> int:
    """张伟's letters, written through his account; nothing when the accounts demo has not run."""
    account = demo_citizens.demo_citizen("zhangwei")
    if account is None:
        return 0
    data = getattr(account, "personal_data", None)
    made = 0
    for spec in CITIZEN_LETTERS:
        if Letter.objects.filter(form_token=spec.token).exists():
            continue
        made += 1
        letter, _code = actions.submit_letter(
            draft=actions.LetterDraft(
                kind=LetterKind.objects.get(code=spec.kind), addressed_body=bodies[spec.addressed_to],
                title=spec.title, content=spec.content, may_publish=False),
            writer=actions.WriterInput(
                name=(data.real_name if data and data.real_name else spec.writer),
                phone=(data.mobile if data and data.mobile else "13905710188"),
                email=data.email if data else ""),
            form_token=spec.token, user=account.user, submitted_at=_at(spec.days_ago))
        handler, reviewer = handlers[letter.assigned_body.slug]
        if spec.outcome == "answered":
            reply = actions.submit_reply_for_review(letter=letter, actor=handler, text=spec.reply)
            actions.approve_reply(reply=reply, actor=reviewer)
    return made
