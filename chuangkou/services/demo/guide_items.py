"""The service items the eight demo life-event guides point at (codes ``GUIDE-…``).

The demo catalogue (``demo/catalogue``) is written separately and its codes may change, so
the guides bring their own items, saved through ``save_service_item`` like any import. The
materials overlap on purpose (居民身份证, 户口簿, 结婚证, 出生医学证明 …) so that a guide's
merged material list shows one entry for a paper several items need.
"""

from dataclasses import dataclass

from chuangkou.organizations.models import Body

from ..choices import (
    Audience,
    DeliveryMethod,
    FormFieldKind,
    MaterialForm,
    OnlineDepth,
    RequiredIdentity,
    ServiceItemKind,
)

__all__ = ["GUIDE_ITEMS", "GuideItem", "load_guide_items"]

ORIGINAL, COPY = MaterialForm.ORIGINAL, MaterialForm.COPY
BOTH, ELECTRONIC = MaterialForm.ORIGINAL_AND_COPY, MaterialForm.ELECTRONIC

# Where each demo body receives citizens and which number answers (the sitecluster demo's
# bodies; addresses as in its BODIES list).
BODY_DESK = {
    "city": ("示例市政务服务中心一楼综合受理窗口（示例市人民大道1号）", "0750-12345"),
    "education": ("示例市政务服务中心二楼教育窗口（示例市文教路18号）", "0750-3201234"),
    "health": ("示例市政务服务中心二楼卫生健康窗口（示例市健康路6号）", "0750-3202345"),
    "justice": ("示例市公共法律服务中心（示例市法治路9号）", "0750-3203456"),
    "dongcheng": ("东城区政务服务中心（示例市东城区府前街2号）", "0750-3301234"),
    "dongcheng-donghu": ("东湖街道党群服务中心便民服务窗口（示例市东城区东湖路88号）",
                         "0750-3302345"),
}
OFFICE_HOURS = "工作日上午9:00-12:00，下午13:30-17:00（法定节假日除外）"
COMPLAINT_PHONE = "12345"


@dataclass(frozen=True)
class GuideItem:
    code: str
    name: str
    body: str
    kind: str
    themes: tuple[str, ...]  # personal theme slugs
    summary: str
    legal_basis: str
    conditions: str
    legal_days: int | None
    promised_days: int
    visits: int
    depth: int
    materials: tuple[tuple, ...]  # (name, form, copies, required, upload_required)
    steps: tuple[str, ...] = ("受理", "审查", "决定", "送达")
    faqs: tuple[tuple[str, str], ...] = ()
    fee: str = ""
    channels: tuple[str, ...] = ("shimin",)
    accepts_proxy: bool = False
    # Online form fields (name, label, kind, required) of items applied for online; every
    # such item also gets a free-text 补充说明.
    fields: tuple[tuple[str, str, str, bool], ...] = ()


def _m(name, form=ORIGINAL, copies=1, required=True, upload=False):
    return (name, form, copies, required, upload)


ID_CARD = _m("居民身份证", ORIGINAL)
ID_CARD_COPY = _m("居民身份证", COPY)
HOUSEHOLD = _m("户口簿", ORIGINAL)
HOUSEHOLD_COPY = _m("户口簿", COPY)
MARRIAGE = _m("结婚证", ORIGINAL)
MARRIAGE_COPY = _m("结婚证", COPY)
BIRTH_CERT = _m("出生医学证明", ORIGINAL)
BIRTH_CERT_COPY = _m("出生医学证明", COPY)
RESIDENCE = _m("居住证", ORIGINAL)
PHOTO = _m("近期半身免冠照片", ORIGINAL, copies=2)
DIPLOMA = _m("学历学位证书", BOTH)
CONTRACT = _m("劳动合同", COPY)
HOUSING = _m("房屋产权证明或经备案的租赁合同", COPY)
BANK = _m("本人社会保障卡或银行账户", COPY)

GUIDE_ITEMS: tuple[GuideItem, ...] = (
    # ------------------------------------------------------------------ 结婚登记
    GuideItem(
        "GUIDE-JH-001", "婚前医学检查", "health", ServiceItemKind.PUBLIC_SERVICE, ("hunyin",
                                                                                   "yiliao"),
        "为准备结婚的男女双方提供免费婚前医学检查和健康指导。",
        "《中华人民共和国母婴保健法》第七条、第十二条", "准备结婚的男女双方，自愿参加。",
        None, 0, 1, OnlineDepth.INFORMATION,
        (ID_CARD, HOUSEHOLD_COPY, _m("婚前医学检查登记表", ORIGINAL)),
        steps=("预约", "检查", "出具婚前医学检查证明"),
        faqs=(("婚前医学检查收费吗？", "本市户籍居民在指定机构进行婚前医学检查免费。"),)),
    GuideItem(
        "GUIDE-JH-002", "内地居民结婚登记", "dongcheng", ServiceItemKind.ADMINISTRATIVE_CONFIRMATION,
        ("hunyin",), "内地居民男女双方自愿结婚，共同到婚姻登记机关申请结婚登记。",
        "《中华人民共和国民法典》第一千零四十九条；《婚姻登记条例》第四条至第七条",
        "男女双方完全自愿，达到法定婚龄（男不早于22周岁，女不早于20周岁），均无配偶，"
        "且不属于禁止结婚的亲属关系。", 1, 0, 1, OnlineDepth.FORMS,
        (ID_CARD, HOUSEHOLD, _m("双方近期半身免冠合影照片", ORIGINAL, copies=3),
         _m("申请结婚登记声明书", ORIGINAL, copies=2)),
        steps=("预约", "当场受理审查", "颁发结婚证"),
        faqs=(("户籍不在本市可以在本市办理结婚登记吗？",
               "自2023年6月起实行结婚登记“跨省通办”，一方在本市有经常居住地的，可凭居住证办理。"),)),
    GuideItem(
        "GUIDE-JH-003", "结婚登记“跨省通办”（凭居住证）", "dongcheng",
        ServiceItemKind.ADMINISTRATIVE_CONFIRMATION, ("hunyin",),
        "一方户籍不在本市，凭本市居住证在经常居住地办理结婚登记。",
        "《国务院关于同意扩大内地居民婚姻登记“跨省通办”试点的批复》（国函〔2023〕34号）",
        "男女双方或一方持有本市有效居住证。", 1, 0, 1, OnlineDepth.FORMS,
        (ID_CARD, HOUSEHOLD, RESIDENCE, _m("双方近期半身免冠合影照片", ORIGINAL, copies=3)),
        steps=("预约", "当场受理审查", "颁发结婚证")),
    # ------------------------------------------------------------------ 户籍办理
    GuideItem(
        "GUIDE-HJ-001", "新生儿出生登记（报户口）", "dongcheng",
        ServiceItemKind.ADMINISTRATIVE_CONFIRMATION, ("huji", "shengyu"),
        "为本市户籍父母所生新生儿申报常住户口。", "《中华人民共和国户口登记条例》第七条",
        "婴儿出生后一个月以内，父亲或母亲一方户籍在本市。", 10, 1, 0,
        OnlineDepth.FULLY_ONLINE,
        (BIRTH_CERT, HOUSEHOLD, ID_CARD, MARRIAGE,
         _m("出生医学证明电子件", ELECTRONIC, upload=True)),
        steps=("网上申请", "审核", "打印户口页并寄送"), accepts_proxy=True,
        fields=(("child_name", "新生儿姓名", FormFieldKind.TEXT, True),
                ("child_birth_date", "出生日期", FormFieldKind.DATE, True))),
    GuideItem(
        "GUIDE-HJ-002", "夫妻投靠户口迁入", "dongcheng", ServiceItemKind.ADMINISTRATIVE_LICENSING,
        ("huji", "hunyin"), "外地户籍居民投靠本市户籍配偶，将户口迁入本市。",
        "《中华人民共和国户口登记条例》第十条；《示例市户籍准入管理办法》第八条",
        "结婚满两年，或已生育子女；被投靠人在本市有合法固定住所。", 20, 10, 1,
        OnlineDepth.ONLINE_APPLICATION,
        (ID_CARD, HOUSEHOLD, MARRIAGE_COPY, HOUSING, _m("户口迁移申请表", ORIGINAL))),
    GuideItem(
        "GUIDE-HJ-003", "人才引进落户", "dongcheng", ServiceItemKind.ADMINISTRATIVE_LICENSING,
        ("huji", "jiuye"), "经认定的引进人才及其配偶、未成年子女随迁落户。",
        "《示例市户籍准入管理办法》第六条；《示例市人才引进实施办法》",
        "取得本市人才认定，或全日制大专以上学历并在本市就业参保。", 20, 5, 1,
        OnlineDepth.ONLINE_APPLICATION,
        (ID_CARD, HOUSEHOLD, DIPLOMA, CONTRACT, _m("人才认定证书", COPY)),
        channels=("shimin", "touzizhe")),
    GuideItem(
        "GUIDE-HJ-004", "居住证申领", "dongcheng-donghu", ServiceItemKind.ADMINISTRATIVE_CONFIRMATION,
        ("huji", "zhufang"), "非本市户籍人员在本市居住半年以上，申领居住证。",
        "《居住证暂行条例》第二条、第九条",
        "离开常住户口所在地到本市居住半年以上，有合法稳定就业、合法稳定住所或连续就读。",
        15, 10, 1, OnlineDepth.ONLINE_APPLICATION,
        (ID_CARD, PHOTO, HOUSING, _m("就业或就读证明", COPY)), accepts_proxy=True),
    GuideItem(
        "GUIDE-HJ-005", "户口迁出本市", "dongcheng", ServiceItemKind.ADMINISTRATIVE_CONFIRMATION,
        ("huji",), "本市户籍居民将户口迁往市外，凭迁入地准迁证明或实行“一站式”迁移。",
        "《中华人民共和国户口登记条例》第十条", "已取得迁入地同意迁入的证明或电子迁移信息。",
        10, 3, 1, OnlineDepth.FORMS, (ID_CARD, HOUSEHOLD, _m("准予迁入证明", ORIGINAL))),
    GuideItem(
        "GUIDE-HJ-006", "户口迁移后换领居民身份证", "dongcheng",
        ServiceItemKind.ADMINISTRATIVE_CONFIRMATION, ("huji",),
        "户口迁入本市后，在新户籍地换领居民身份证。", "《中华人民共和国居民身份证法》第十一条",
        "户口已迁入本市。", 60, 30, 1, OnlineDepth.FORMS, (ID_CARD, HOUSEHOLD),
        steps=("受理采集指纹", "制证", "领取"), fee="换领居民身份证每证20元。"),
    # ------------------------------------------------------------------ 怀孕生育
    GuideItem(
        "GUIDE-SY-001", "生育登记", "dongcheng-donghu", ServiceItemKind.PUBLIC_SERVICE, ("shengyu",),
        "夫妻生育子女实行生育登记服务，可网上登记。",
        "《中华人民共和国人口与计划生育法》第二十条；《广东省人口与计划生育条例》", "夫妻双方。",
        None, 0, 0, OnlineDepth.FULLY_ONLINE,
        (ID_CARD, HOUSEHOLD_COPY, MARRIAGE_COPY), steps=("网上登记", "即时办结"),
        accepts_proxy=True),
    GuideItem(
        "GUIDE-SY-002", "孕产妇建档（母子健康手册）", "health", ServiceItemKind.PUBLIC_SERVICE,
        ("shengyu", "yiliao"), "怀孕13周内到社区卫生服务中心建立孕产妇保健档案，领取母子健康手册。",
        "《国家基本公共卫生服务规范（第三版）》孕产妇健康管理服务规范", "在本市居住的孕妇。",
        None, 0, 1, OnlineDepth.INFORMATION, (ID_CARD, _m("早孕检查报告", COPY), MARRIAGE_COPY),
        steps=("建档", "首次产检", "发放手册")),
    GuideItem(
        "GUIDE-SY-003", "出生医学证明办理", "health", ServiceItemKind.ADMINISTRATIVE_CONFIRMATION,
        ("shengyu",), "新生儿在助产机构出生后，为其签发出生医学证明。",
        "《中华人民共和国母婴保健法》第二十三条", "在本市助产机构出生的新生儿。", 5, 0, 1,
        OnlineDepth.FORMS, (ID_CARD, MARRIAGE_COPY, _m("出生医学证明首次签发登记表", ORIGINAL)),
        steps=("登记", "核对信息", "签发")),
    GuideItem(
        "GUIDE-SY-004", "生育津贴申领", "city", ServiceItemKind.ADMINISTRATIVE_PAYMENT,
        ("shengyu", "shebao"), "参加生育保险的职工生育后，申领生育津贴。",
        "《中华人民共和国社会保险法》第五十四条至第五十六条",
        "用人单位已为职工连续足额缴纳生育保险费满一年。", 20, 15, 0, OnlineDepth.FULLY_ONLINE,
        (ID_CARD_COPY, BIRTH_CERT_COPY, BANK, _m("生育津贴申请表", ELECTRONIC, upload=True)),
        channels=("shimin", "qiye")),
    GuideItem(
        "GUIDE-SY-005", "新生儿城乡居民医保参保登记", "city", ServiceItemKind.PUBLIC_SERVICE,
        ("shengyu", "shebao", "yiliao"), "新生儿出生后办理城乡居民基本医疗保险参保登记。",
        "《中华人民共和国社会保险法》第二十五条", "本市户籍或持有本市居住证的父母所生新生儿。",
        None, 0, 0, OnlineDepth.FULLY_ONLINE, (BIRTH_CERT_COPY, HOUSEHOLD_COPY),
        steps=("网上登记", "即时办结"), accepts_proxy=True),
    # ------------------------------------------------------------------ 小孩上学
    GuideItem(
        "GUIDE-SX-001", "小学一年级新生入学登记", "education", ServiceItemKind.PUBLIC_SERVICE,
        ("jiaoyu",), "适龄儿童到学区学校办理小学一年级入学登记。",
        "《中华人民共和国义务教育法》第十一条、第十二条",
        "当年8月31日前满6周岁的适龄儿童。", None, 20, 0, OnlineDepth.ONLINE_APPLICATION,
        (HOUSEHOLD, BIRTH_CERT_COPY, _m("房屋产权证明或经备案的租赁合同", ORIGINAL),
         _m("预防接种证查验证明", COPY)), steps=("网上报名", "资料审核", "公布结果"),
        fields=(("child_name", "儿童姓名", FormFieldKind.TEXT, True),
                ("child_resident_id", "儿童身份证号码", FormFieldKind.RESIDENT_ID, True))),
    GuideItem(
        "GUIDE-SX-002", "初中一年级新生入学（电脑派位）", "education", ServiceItemKind.PUBLIC_SERVICE,
        ("jiaoyu",), "小学毕业生按学区就近入学，学位不足时电脑派位。",
        "《中华人民共和国义务教育法》第十二条", "本市小学应届毕业生。", None, 20, 0,
        OnlineDepth.ONLINE_APPLICATION, (HOUSEHOLD_COPY, _m("小学学籍卡", COPY), HOUSING),
        steps=("网上报名", "资格审核", "电脑派位", "公布结果")),
    GuideItem(
        "GUIDE-SX-003", "随迁子女积分入学资格审核", "education", ServiceItemKind.PUBLIC_SERVICE,
        ("jiaoyu",), "非本市户籍适龄儿童凭父母居住证和社保缴纳记录申请积分入学。",
        "《示例市义务教育阶段随迁子女积分入学办法》", "父母一方持有本市居住证并连续缴纳社保满一年。",
        None, 15, 1, OnlineDepth.ONLINE_APPLICATION,
        (HOUSEHOLD, RESIDENCE, _m("社会保险缴费证明", ORIGINAL), CONTRACT, BIRTH_CERT_COPY)),
    GuideItem(
        "GUIDE-SX-004", "入学预防接种证查验", "health", ServiceItemKind.PUBLIC_SERVICE,
        ("jiaoyu", "yiliao"), "儿童入托、入学时查验预防接种证，出具查验证明。",
        "《中华人民共和国疫苗管理法》第四十八条", "新入学儿童。", None, 0, 1,
        OnlineDepth.INFORMATION, (_m("预防接种证", ORIGINAL), HOUSEHOLD_COPY),
        steps=("查验", "补种建议", "出具证明")),
    GuideItem(
        "GUIDE-SX-005", "家庭经济困难学生资助申请", "education", ServiceItemKind.ADMINISTRATIVE_PAYMENT,
        ("jiaoyu", "shebao"), "义务教育阶段家庭经济困难学生申请生活费补助。",
        "《学生资助资金管理办法》（财教〔2021〕310号）", "家庭经济困难的在校学生。", 30, 20, 1,
        OnlineDepth.FORMS, (HOUSEHOLD_COPY, _m("家庭经济困难学生认定申请表", ORIGINAL),
                            _m("低保证或特困供养证", COPY, required=False))),
    # ------------------------------------------------------------------ 养老保险
    GuideItem(
        "GUIDE-YL-001", "职工基本养老保险参保登记", "city", ServiceItemKind.PUBLIC_SERVICE,
        ("shebao", "jiuye"), "用人单位为新招用职工办理基本养老保险参保登记。",
        "《中华人民共和国社会保险法》第五十七条、第五十八条", "与本市用人单位建立劳动关系的职工。",
        30, 0, 0, OnlineDepth.FULLY_ONLINE, (ID_CARD_COPY, CONTRACT),
        steps=("网上申报", "即时办结"), channels=("shimin", "qiye")),
    GuideItem(
        "GUIDE-YL-002", "灵活就业人员养老保险参保登记", "city", ServiceItemKind.PUBLIC_SERVICE,
        ("shebao", "jiuye"), "无雇工的个体工商户、未在用人单位参保的非全日制从业人员等自愿参保。",
        "《中华人民共和国社会保险法》第十条", "年满16周岁、未达到法定退休年龄的灵活就业人员。",
        None, 0, 0, OnlineDepth.FULLY_ONLINE, (ID_CARD_COPY, BANK), steps=("网上登记", "即时办结")),
    GuideItem(
        "GUIDE-YL-003", "城乡居民基本养老保险参保登记", "dongcheng-donghu",
        ServiceItemKind.PUBLIC_SERVICE, ("shebao",),
        "年满16周岁、不符合职工养老保险参保条件的城乡居民参保。",
        "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        "本市户籍，年满16周岁（不含在校学生），未参加职工基本养老保险。", None, 0, 1,
        OnlineDepth.ONLINE_APPLICATION, (ID_CARD, HOUSEHOLD_COPY, BANK), accepts_proxy=True),
    GuideItem(
        "GUIDE-YL-004", "基本养老保险关系转移接续", "city", ServiceItemKind.PUBLIC_SERVICE,
        ("shebao",), "跨省、跨统筹地区流动就业人员转移接续养老保险关系。",
        "《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）",
        "在外地参保缴费后到本市就业参保。", 45, 15, 0, OnlineDepth.FULLY_ONLINE,
        (ID_CARD_COPY, _m("参保缴费凭证", COPY))),
    GuideItem(
        "GUIDE-YL-005", "职工退休申请（基本养老金申领）", "city", ServiceItemKind.ADMINISTRATIVE_PAYMENT,
        ("shebao",), "达到法定退休年龄、累计缴费满15年的参保人员申领基本养老金。",
        "《中华人民共和国社会保险法》第十六条", "达到法定退休年龄且累计缴费满15年。", 20, 10, 1,
        OnlineDepth.ONLINE_APPLICATION,
        (ID_CARD, HOUSEHOLD_COPY, BANK, _m("本人档案", ORIGINAL), PHOTO)),
    GuideItem(
        "GUIDE-YL-006", "城乡居民养老保险待遇领取", "dongcheng-donghu",
        ServiceItemKind.ADMINISTRATIVE_PAYMENT, ("shebao",),
        "年满60周岁、累计缴费满15年的城乡居民按月领取养老金。",
        "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）",
        "年满60周岁，累计缴费满15年。", 30, 10, 0, OnlineDepth.FULLY_ONLINE,
        (ID_CARD_COPY, HOUSEHOLD_COPY, BANK), accepts_proxy=True),
    # ------------------------------------------------------------------ 交通出行
    GuideItem(
        "GUIDE-JT-001", "机动车驾驶人考试报名", "city", ServiceItemKind.ADMINISTRATIVE_LICENSING,
        ("jiaotong",), "申请机动车驾驶证，预约科目一至科目四考试。",
        "《中华人民共和国道路交通安全法》第十九条；《机动车驾驶证申领和使用规定》",
        "年满18周岁，身体条件符合规定。", 20, 10, 2, OnlineDepth.ONLINE_APPLICATION,
        (ID_CARD, _m("机动车驾驶人身体条件证明", ORIGINAL), PHOTO),
        steps=("报名", "考试预约", "考试", "核发驾驶证"), fee="按广东省物价部门核定的考试费标准收取。"),
    GuideItem(
        "GUIDE-JT-002", "机动车注册登记（新车上牌）", "city", ServiceItemKind.ADMINISTRATIVE_LICENSING,
        ("jiaotong",), "购买新车后办理注册登记，领取号牌和行驶证。",
        "《中华人民共和国道路交通安全法》第八条、第九条", "车辆已投保交强险并完成购置税申报。", 5,
        2, 1, OnlineDepth.ONLINE_APPLICATION,
        (ID_CARD, _m("机动车销售统一发票", ORIGINAL), _m("机动车整车出厂合格证", ORIGINAL),
         _m("交强险保单", COPY)),
        steps=("网上预约选号", "查验车辆", "核发号牌行驶证"), fee="号牌工本费按规定收取。"),
    GuideItem(
        "GUIDE-JT-003", "机动车驾驶证期满换证", "city", ServiceItemKind.ADMINISTRATIVE_LICENSING,
        ("jiaotong",), "驾驶证有效期满前90日内申请换证，可全程网办、邮寄送达。",
        "《机动车驾驶证申领和使用规定》第七十条", "驾驶证有效期满前90日内。", 5, 1, 0,
        OnlineDepth.FULLY_ONLINE, (ID_CARD_COPY, _m("机动车驾驶人身体条件证明", ELECTRONIC,
                                                     upload=True), PHOTO),
        steps=("网上申请", "审核", "邮寄")),
    GuideItem(
        "GUIDE-JT-004", "老年人公交优待卡申领", "dongcheng-donghu", ServiceItemKind.PUBLIC_SERVICE,
        ("jiaotong",), "本市65周岁以上老年人申领公交优待卡，免费乘坐市内公交。",
        "《示例市老年人优待办法》第九条", "年满65周岁，本市户籍或持有本市居住证。", None, 5, 1,
        OnlineDepth.ONLINE_APPLICATION, (ID_CARD, PHOTO), accepts_proxy=True),
    # ------------------------------------------------------------------ 人才引进
    GuideItem(
        "GUIDE-RC-001", "人才认定", "city", ServiceItemKind.ADMINISTRATIVE_CONFIRMATION,
        ("jiuye",), "对来本市就业创业的人才进行层次认定，作为享受人才政策的依据。",
        "《示例市人才引进实施办法》第五条", "在本市就业创业并依法缴纳社会保险。", 20, 10, 0,
        OnlineDepth.FULLY_ONLINE, (ID_CARD_COPY, DIPLOMA, CONTRACT,
                                   _m("人才认定申请表", ELECTRONIC, upload=True)),
        channels=("shimin", "touzizhe", "huaqiao")),
    GuideItem(
        "GUIDE-RC-002", "人才住房补贴申请", "city", ServiceItemKind.ADMINISTRATIVE_PAYMENT,
        ("zhufang", "jiuye"), "经认定的人才在本市无自有住房的，按月发放住房补贴，最长36个月。",
        "《示例市人才安居办法》第十二条", "已取得人才认定，本人及配偶在本市无自有住房。", 30, 15,
        0, OnlineDepth.FULLY_ONLINE,
        (ID_CARD_COPY, _m("人才认定证书", COPY), HOUSING, BANK, MARRIAGE_COPY)),
    GuideItem(
        "GUIDE-RC-003", "博士安家补贴申请", "city", ServiceItemKind.ADMINISTRATIVE_PAYMENT,
        ("jiuye",), "全职引进的博士研究生一次性发放安家补贴。", "《示例市人才引进实施办法》第十五条",
        "取得博士学位，与本市用人单位签订五年以上劳动合同。", 30, 20, 0, OnlineDepth.FULLY_ONLINE,
        (ID_CARD_COPY, DIPLOMA, CONTRACT, BANK), channels=("shimin", "touzizhe")),
    # ------------------------------------------------------------------ 旅游观光
    GuideItem(
        "GUIDE-LY-001", "景区和文化场馆参观预约", "city", ServiceItemKind.PUBLIC_SERVICE,
        ("wenlv",), "开平碉楼、博物馆、图书馆等实行预约参观，按时段限量。",
        "《中华人民共和国旅游法》第四十五条", "所有游客。", None, 0, 0, OnlineDepth.FULLY_ONLINE,
        (ID_CARD_COPY,), steps=("网上预约", "凭身份证入场"), channels=("lvyouzhe", "huaqiao")),
    GuideItem(
        "GUIDE-LY-002", "境外人员临时住宿登记", "dongcheng-donghu",
        ServiceItemKind.ADMINISTRATIVE_CONFIRMATION, ("wenlv",),
        "境外人员在宾馆以外住宿的，应在入住后24小时内办理临时住宿登记。",
        "《中华人民共和国出境入境管理法》第三十九条", "在宾馆以外住宿的境外人员。", 1, 0, 1,
        OnlineDepth.ONLINE_APPLICATION,
        (_m("护照或港澳台居民来往内地通行证", ORIGINAL), _m("留宿人居民身份证", COPY), HOUSING),
        channels=("lvyouzhe", "huaqiao")),
    GuideItem(
        "GUIDE-LY-003", "临时身份证明开具", "dongcheng-donghu", ServiceItemKind.ADMINISTRATIVE_CONFIRMATION,
        ("wenlv", "jiaotong"), "身份证遗失或过期，乘坐火车、飞机或住宿时开具临时身份证明。",
        "《中华人民共和国居民身份证法》第十三条", "身份证丢失、损坏或过期的旅客。", 1, 0, 0,
        OnlineDepth.FULLY_ONLINE, (PHOTO,), steps=("网上申请", "即时出具电子证明"),
        channels=("lvyouzhe",)),
    GuideItem(
        "GUIDE-LY-004", "旅游投诉受理", "city", ServiceItemKind.ADMINISTRATIVE_ADJUDICATION,
        ("wenlv",), "游客与旅游经营者发生纠纷，可向旅游投诉受理机构投诉。",
        "《中华人民共和国旅游法》第九十一条、第九十三条；《旅游投诉处理办法》",
        "与旅游经营者发生民事纠纷的旅游者。", 60, 30, 0, OnlineDepth.FULLY_ONLINE,
        (ID_CARD_COPY, _m("旅游合同或消费凭证", COPY), _m("投诉书", ELECTRONIC, upload=True)),
        channels=("lvyouzhe", "huaqiao")),
)


def _item_data(spec: GuideItem, body: Body):
    from ..actions.catalogue import (
        FAQData,
        FormFieldData,
        MaterialData,
        ServiceItemData,
        StepData,
    )

    place, phone = BODY_DESK.get(spec.body, BODY_DESK["city"])
    online = spec.depth >= OnlineDepth.ONLINE_APPLICATION
    deliveries = ((DeliveryMethod.ONLINE, DeliveryMethod.POST) if spec.visits == 0
                  else (DeliveryMethod.COLLECT, DeliveryMethod.POST))
    return ServiceItemData(
        code=spec.code, name=spec.name, kind=spec.kind, implementing_body=body,
        audience=Audience.PERSON,
        theme_keys=tuple(("person", slug) for slug in spec.themes),
        channel_slugs=spec.channels, summary=spec.summary, legal_basis=spec.legal_basis,
        acceptance_conditions=spec.conditions,
        process_description="→".join(spec.steps) + "。",
        place=place, office_hours=OFFICE_HOURS, legal_time_limit_days=spec.legal_days,
        promised_time_limit_days=spec.promised_days, charges_fee=bool(spec.fee),
        fee_basis=("《广东省行政事业性收费项目目录》" if spec.fee else ""),
        fee_standard=spec.fee or "不收费", consultation_phone=phone,
        complaint_phone=COMPLAINT_PHONE, visits_required=spec.visits,
        online_depth=spec.depth,
        required_identity=(RequiredIdentity.REAL_NAME if online else RequiredIdentity.NONE),
        accepts_proxy=spec.accepts_proxy, delivery_methods=tuple(deliveries),
        is_published=True,
        materials=tuple(MaterialData(name=name, form=form, copies=copies, is_required=required,
                                     upload_required=upload and online,
                                     source=_material_source(name))
                        for name, form, copies, required, upload in spec.materials),
        steps=tuple(StepData(name=step) for step in spec.steps),
        faqs=tuple(FAQData(question=question, answer=answer) for question, answer in spec.faqs),
        form_fields=(_form_fields(spec, FormFieldData) if online else ()),
    )


def _form_fields(spec: GuideItem, field_data) -> tuple:
    specific = (field_data(name=name, label=label, kind=kind, is_required=required,
                           max_length=(20 if kind == FormFieldKind.TEXT else None))
                for name, label, kind, required in spec.fields)
    return (*specific, field_data(name="remarks", label="补充说明", kind=FormFieldKind.TEXTAREA,
                                  is_required=False, max_length=500,
                                  help_text="需要说明的其他情况，没有可不填。"))


def _material_source(name: str) -> str:
    if name in {"居民身份证", "户口簿", "居住证"}:
        return "公安机关核发"
    if name in {"结婚证"}:
        return "婚姻登记机关核发"
    if name in {"出生医学证明"}:
        return "助产机构签发"
    return "申请人自备"


def load_guide_items(*, body_for_slug=None, stdout=None) -> dict[str, object]:
    """Create or update the guides' items (idempotent on code); returns them by code.

    ``body_for_slug`` maps the demo's body slugs onto other bodies (tests use the fixture's
    cluster, whose slugs differ); by default each slug is looked up as it is.
    """
    from ..actions.catalogue import save_service_item

    resolve = body_for_slug or (lambda slug: Body.objects.get(slug=slug))
    items = {}
    created_count = 0
    for spec in GUIDE_ITEMS:
        item, created = save_service_item(data=_item_data(spec, resolve(spec.body)), actor=None,
                                          check_permission=False)
        items[spec.code] = item
        created_count += created
    if stdout is not None:
        stdout.write(f"场景式服务事项：{len(items)}项（新建{created_count}项）\n")
    return items
