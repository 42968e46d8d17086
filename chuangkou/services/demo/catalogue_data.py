"""The demo catalogue of 示例市 as data: real services a Chinese city offers, at the city
departments, the district, its civil affairs bureau, a street office and a community.

Each item is written once with ``_item`` in a compact form; ``demo_items()`` expands them into
entries of the catalogue exchange format (``catalogue_io``). Materials are written as
``"复:户口簿*"``: the prefix is the form (复 copy, 原复 original and copy, 电 electronic; none
original), ``*`` means the online application must upload it and ``?`` that it is optional.
Form fields are ``"name|label|kind|extra"`` (extra: options joined by "/" for choices, the
maximum length for text). A few items leave one guide element out on purpose (``missing``) so
the completeness check has something to show.
"""

from dataclasses import dataclass, field

__all__ = ["BODY_DESKS", "DEMO_ITEMS", "demo_items"]

OFFICE_HOURS = "工作日 上午9:00-12:00，下午13:30-17:30（法定节假日除外）"
COMPLAINT_PHONE = "12345"


@dataclass(frozen=True)
class Desk:
    prefix: str
    place: str
    phone: str


BODY_DESKS = {
    "city": Desk("SZF", "示例市政务服务中心一楼综合窗口（示例市人民大道1号）", "0571-87000001"),
    "education": Desk("JYJ", "示例市政务服务中心二楼教育窗口（示例市人民大道1号）", "0571-87010001"),
    "health": Desk("WJW", "示例市政务服务中心二楼卫生健康窗口（示例市人民大道1号）", "0571-87020001"),
    "justice": Desk("SFJ", "示例市公共法律服务中心一楼（示例市法治路9号）", "0571-87030001"),
    "dongcheng": Desk("DCQ", "东城区政务服务中心综合窗口（示例市东城区府前街2号）", "0571-86100001"),
    "dongcheng-minzheng": Desk("DCMZ", "东城区政务服务中心民政窗口（示例市东城区府前街6号）",
                               "0571-86110001"),
    "dongcheng-donghu": Desk("DHJD", "东湖街道便民服务中心（示例市东城区东湖路88号）",
                             "0571-86120001"),
    "dongcheng-donghu-binhu": Desk("BHSQ", "滨湖社区党群服务中心（示例市东城区滨湖路21号）",
                                   "0571-86120101"),
}
KIND_CODES = {
    "licensing": "XK", "penalty": "CF", "coercion": "QZ", "levy": "ZS", "payment": "JF",
    "inspection": "JC", "confirmation": "QR", "reward": "JL", "adjudication": "CJ",
    "other_power": "QT", "public_service": "GG",
}
STEPS = {
    "instant": (("受理", "窗口当场审核申请材料。"), ("办结", "材料齐全、符合条件的当场办结并出具结果。")),
    "licensing": (("受理", "审查申请材料是否齐全、符合法定形式，决定是否受理。"),
                  ("审查", "对申请材料的实质内容进行审查，必要时现场核查。"),
                  ("决定", "作出准予许可或不予许可的书面决定。"),
                  ("制证送达", "准予许可的，颁发证件并送达申请人。")),
    "payment": (("受理", "审核申请材料，符合条件的予以受理。"),
                ("审核", "核对家庭收入、财产等情况，必要时入户调查。"),
                ("审批", "作出给付或不予给付的决定。"),
                ("发放", "按月或一次性发放至申请人银行账户。")),
    "confirmation": (("受理", "审核申请材料，符合条件的予以受理。"),
                     ("审核", "核实申请事项的真实性。"),
                     ("确认", "作出确认决定并出具证明文书。")),
    "enforcement": (("立案", "发现违法线索，经审查符合立案条件的予以立案。"),
                    ("调查取证", "两名以上执法人员出示执法证件，调查收集证据。"),
                    ("告知", "告知当事人拟作出决定的事实、理由、依据及陈述、申辩和听证权利。"),
                    ("决定", "经审核作出决定并送达当事人。")),
    "inspection": (("制定计划", "按照“双随机、一公开”要求制定检查计划。"),
                   ("实施检查", "执法人员出示证件，现场检查并制作检查记录。"),
                   ("处理", "发现问题的责令改正，涉嫌违法的依法立案查处。"),
                   ("公开结果", "检查结果通过政府网站向社会公开。")),
    "service": (("受理", "审核申请材料。"), ("办理", "按规定办理。"), ("办结", "出具办理结果。")),
}
FAQ_ONLINE = ("全程网办的事项，办理结果如何领取？",
              "全程网办事项无需到现场，办理结果通过网上送达（电子证照或文书），也可选择邮寄送达。")
FAQ_PROXY = ("行动不便可以请社区或街道代办吗？",
             "可以。本事项支持代办，可到所在社区居民委员会或街道便民服务中心，由工作人员代为提交并逐级转报。")
FAQ_FEE = ("费用如何缴纳？", "受理后系统发出缴费通知，可到窗口缴纳，工作人员确认缴费后继续办理。")
FAQ_PROGRESS = ("提交申请后如何查询办理进度？",
                "凭申请编号和查询码在本网站“办件查询”中查看，每个环节的处理结果都会记录在时间线上。")

MATERIAL_FORMS = {"复": "copy", "原复": "original_and_copy", "电": "electronic"}


@dataclass(frozen=True)
class DemoItem:
    name: str
    kind: str
    body: str
    themes: tuple[str, ...]
    channels: tuple[str, ...]
    depth: int
    promised: int
    legal: int | None
    basis: str
    conditions: str
    materials: tuple[str, ...]
    audience: str = "person"
    fields: tuple[str, ...] = ()
    fee: tuple[str, str] | None = None  # (依据, 标准)
    identity: str = "none"
    proxy: bool = False
    summary: str = ""
    steps: str = ""
    faqs: tuple[tuple[str, str], ...] = ()
    missing: str = ""
    special: str = ""
    extra: dict = field(default_factory=dict)


def _item(name, kind, body, themes, channels, depth, promised, legal, basis, conditions,
          materials, **options) -> DemoItem:
    return DemoItem(name, kind, body, tuple(themes.split()), tuple(channels.split()), depth,
                    promised, legal, basis, conditions, tuple(materials), **options)


P, E, B = "person", "enterprise", "both"

DEMO_ITEMS: tuple[DemoItem, ...] = (
    # ------------------------------------------------------------------ 示例市教育局
    _item("义务教育阶段入学登记", "public_service", "education", "person:jiaoyu", "shimin huaqiao",
          4, 10, None, "《中华人民共和国义务教育法》第十二条：适龄儿童、少年免试入学。地方各级人民政府应当保障"
          "适龄儿童、少年在户籍所在地学校就近入学。",
          "年满六周岁的适龄儿童；小学毕业升入初中的学生。随迁子女持父母一方在本市的居住证登记。",
          ("复:户口簿*", "复:儿童出生医学证明*", "复:房屋所有权证或不动产权证书?", "复:居住证?"),
          fields=("child_name|儿童姓名|text|20", "child_id|儿童居民身份证号码|resident_id",
                  "birth_date|出生日期|date", "grade|入学年级|choice|小学一年级/初中一年级",
                  "guardian_phone|监护人手机号码|phone"),
          identity="real_name", summary="适龄儿童入小学、小学毕业生升初中的网上登记。",
          faqs=(FAQ_ONLINE, ("随迁子女如何入学？", "父母一方持本市居住证满一年的，可在居住地所在学区登记入学。"))),
    _item("教师资格认定", "licensing", "education", "person:jiaoyu person:jiuye", "shimin",
          3, 20, 60, "《中华人民共和国教师法》第十条：国家实行教师资格制度。《教师资格条例》第十三条。",
          "遵守宪法和法律，热爱教育事业，具有良好的思想品德；具备规定的学历；教师资格考试合格；"
          "普通话水平达到二级乙等以上；体检合格。",
          ("原:居民身份证", "电:教师资格考试合格证明*", "原复:学历证书*", "原:普通话水平测试等级证书",
           "原:指定医院出具的体检合格证明"),
          fields=("subject|任教学科|choice|语文/数学/英语/物理/化学/生物/历史/地理/政治/体育/音乐/美术",
                  "level|资格种类|choice|幼儿园/小学/初级中学/高级中学/中等职业学校",
                  "graduate_school|毕业院校|text|60", "certificate_no|考试合格证明编号|text|30"),
          identity="real_name",
          summary="取得教师资格考试合格证明的人员申请认定相应教师资格。",
          faqs=(FAQ_PROGRESS,)),
    _item("义务教育阶段转学申请", "public_service", "education", "person:jiaoyu", "shimin",
          3, 5, None, "《中华人民共和国义务教育法》第十二条；《中小学生学籍管理办法》第十五条。",
          "因户籍迁移、家庭搬迁等原因需要转学的义务教育阶段在籍学生。",
          ("复:户口簿", "电:转学申请表*", "复:接收学校同意接收证明*"),
          fields=("student_name|学生姓名|text|20", "student_id|学生居民身份证号码|resident_id",
                  "from_school|转出学校|text|60", "to_school|转入学校|text|60",
                  "reason|转学原因|textarea|300")),
    _item("普通高中学生资助申请", "payment", "education", "person:jiaoyu person:shebao",
          "shimin sannong", 3, 20, 30,
          "《中华人民共和国教育法》第三十八条：国家、社会对符合入学条件、家庭经济困难的儿童、少年、青年，"
          "提供各种形式的资助。",
          "本市普通高中在校学生中家庭经济困难的学生；建档立卡、低保、特困供养家庭学生优先。",
          ("原:居民身份证", "电:家庭经济困难学生认定申请表*", "复:低保证或特困供养证?"),
          fields=("student_name|学生姓名|text|20", "school|就读学校|text|60",
                  "family_type|家庭经济困难类型|choice|最低生活保障家庭/特困供养/残疾人家庭/其他困难家庭"),
          proxy=True),
    _item("学历证明书补办", "public_service", "education", "person:jiaoyu person:jiuye",
          "shimin huaqiao", 4, 5, None, "《中华人民共和国教育法》第二十二条：国家实行学业证书制度。",
          "本市中等学校毕业证书遗失或损毁的毕业生。",
          ("原:居民身份证", "电:学历证明书申请表*"),
          fields=("graduate_school|毕业学校|text|60", "graduation_year|毕业年份|integer",
                  "certificate_kind|证书类别|choice|初中毕业证书/高中毕业证书/中专毕业证书"),
          identity="verified_contact"),
    _item("民办学校设立审批", "licensing", "education", "enterprise:sheli enterprise:zhunying",
          "qiye touzizhe", 2, 60, 90,
          "《中华人民共和国民办教育促进法》第十二条：举办实施学历教育、学前教育、自学考试助学及其他文化"
          "教育的民办学校，由县级以上人民政府教育行政部门按照国家规定的权限审批。",
          "举办者为具有法人资格的社会组织或具有政治权利和完全民事行为能力的个人；有符合规定的办学场所、"
          "师资和资金。", ("原:申办报告", "原:举办者资格证明文件", "复:办学场所产权证明", "原:资产来源证明",
                     "原:学校章程和首届理事会组成人员名单"),
          audience=E, special="专家评审（不计入办理时限）"),
    _item("校外培训机构办学许可", "licensing", "education", "enterprise:zhunying", "qiye",
          2, 30, 60, "《中华人民共和国民办教育促进法》第十二条、第十八条。",
          "举办非学科类校外培训机构的法人或其他组织，场所符合消防、安全要求。",
          ("原:申请书", "复:场所使用证明", "原:培训内容和课程方案", "复:从业人员资格证明"),
          audience=E, missing="acceptance_conditions"),
    _item("民办学校年度检查", "inspection", "education", "enterprise:nianjian", "qiye",
          2, 30, 60, "《中华人民共和国民办教育促进法实施条例》第四十八条。",
          "本市审批设立的各类民办学校。", ("原:年度自查报告", "复:年度财务审计报告"),
          audience=E, steps="inspection"),
    _item("民办学校收费项目和标准备案", "other_power", "education",
          "enterprise:shuishou", "qiye", 3, 10, 20,
          "《中华人民共和国民办教育促进法》第三十八条：民办学校收取费用的项目和标准根据办学成本、"
          "市场需求等因素确定，向社会公示，并接受有关主管部门的监督。",
          "本市审批设立的民办学校调整或新设收费项目。",
          ("电:收费项目和标准备案表*", "复:办学成本核算报告*"),
          audience=E, fields=("school_name|学校名称|text|60", "credit_code|统一社会信用代码|credit_code",
                               "tuition|每学期学费（元）|decimal")),
    _item("民办学校终止办学", "other_power", "education", "enterprise:zhuxiao", "qiye",
          2, 30, 60, "《中华人民共和国民办教育促进法》第五十六条、第五十八条。",
          "经审批机关批准终止办学的民办学校。",
          ("原:终止办学申请", "原:财务清算报告", "原:学生安置方案", "原:办学许可证正副本"),
          audience=E),
    _item("校车使用许可", "licensing", "education", "person:jiaotong enterprise:zhunying",
          "shimin qiye sannong", 2, 20, 20,
          "《校车安全管理条例》第十四条：使用校车应当依照本条例的规定取得许可。",
          "学校或校车服务提供者有符合校车安全国家标准的校车、取得相应驾驶资格的驾驶人和安全管理制度。",
          ("原:校车使用许可申请表", "复:机动车行驶证", "复:校车驾驶资格证明", "原:校车安全管理制度"),
          audience=B),
    _item("对民办学校违规招生的处罚", "penalty", "education", "enterprise:zhunying", "qiye",
          1, 90, 90, "《中华人民共和国民办教育促进法》第六十二条。",
          "民办学校发布虚假招生简章或者广告、骗取钱财等违法行为。", ("原:立案审批表", "原:调查笔录"),
          audience=E, steps="enforcement"),
    _item("普通话水平测试报名", "public_service", "education", "person:jiaoyu person:jiuye",
          "shimin", 4, 5, None, "《中华人民共和国国家通用语言文字法》第十九条、第二十四条。",
          "以普通话为工作语言的岗位人员和在校学生。",
          ("电:近期免冠证件照片*",),
          fields=("exam_date|测试场次|choice|三月场/六月场/九月场/十二月场",
                  "purpose|测试用途|choice|教师资格/播音主持/其他"),
          fee=("《国家发展改革委 财政部关于重新发布中央管理的人力资源社会保障部门行政事业性收费项目的通知》"
               "及本省物价部门核定的测试收费标准", "每人每次 50 元"),
          identity="account"),
    _item("中小学教师资格定期注册", "other_power", "education", "person:jiaoyu", "shimin",
          3, 20, 30, "《中华人民共和国教师法》第十条；《中小学教师资格定期注册暂行办法》第二条：教师资格定期注册"
          "每5年一周期。", "在本市公办和民办中小学、幼儿园任教，注册有效期届满的在职教师。",
          ("电:教师资格定期注册申请表*", "复:教师资格证书*", "原:任职学校出具的师德考核证明"),
          fields=("school|任职学校|text|80", "certificate_no|教师资格证书号码|text|30",
                  "training_hours|本周期培训学时|integer")),
    # ------------------------------------------------------------------ 示例市卫生健康委员会
    _item("托育机构备案", "other_power", "health", "enterprise:zhunying person:shengyu",
          "qiye shimin", 4, 0, 15, "《托育机构登记和备案办法（试行）》第七条：托育机构登记后，应当向机构所在地的"
          "县级卫生健康部门备案。", "已登记、为3岁以下婴幼儿提供全日托、半日托等照护服务的机构。",
          ("电:托育机构备案书*", "电:托育机构备案承诺书*", "电:场地证明*"), audience=E,
          fields=("org_name|托育机构名称|text|100", "credit_code|统一社会信用代码|credit_code",
                  "places|托位数|integer")),
    _item("无偿献血者用血费用报销", "payment", "health", "person:yiliao", "shimin", 3, 10, 30,
          "《中华人民共和国献血法》第十四条：公民临床用血时只交付用于血液的采集、储存、分离、检验等费用；"
          "无偿献血者临床需要用血时，免交前款规定的费用。", "无偿献血者本人及其配偶和直系亲属临床用血后。",
          ("原:无偿献血证", "复:用血发票和出院记录*", "电:用血费用报销申请表*"),
          fields=("donor|献血者姓名|text|20", "relation|用血者与献血者关系|choice|本人/配偶/直系亲属",
                  "amount|报销金额（元）|decimal")),
    _item("婚前医学检查", "public_service", "health", "person:hunyin person:yiliao", "shimin",
          2, 0, None, "《中华人民共和国母婴保健法》第七条、第十二条：医疗保健机构应当为公民提供婚前保健服务。",
          "准备结婚的男女双方。", ("原:双方居民身份证",)),
    _item("医师执业注册", "licensing", "health", "person:yiliao person:jiuye", "shimin",
          4, 15, 20, "《中华人民共和国医师法》第十三条：国家实行医师执业注册制度。",
          "取得医师资格，经医疗卫生机构聘用并拟在该机构执业的医师。",
          ("电:医师执业注册申请审核表*", "复:医师资格证书*", "原:近6个月内的健康体检证明",
           "复:拟执业机构的聘用证明*"),
          fields=("qualification_no|医师资格证书编码|text|30",
                  "category|执业类别|choice|临床/中医/口腔/公共卫生",
                  "scope|执业范围|text|60", "institution|拟执业机构|text|80"),
          identity="real_name", faqs=(FAQ_ONLINE,)),
    _item("护士执业注册", "licensing", "health", "person:yiliao person:jiuye", "shimin",
          4, 15, 20, "《护士条例》第七条：护士执业，应当经执业注册取得护士执业证书。",
          "取得护士执业资格考试合格成绩，在教学、综合医院完成8个月以上护理临床实习。",
          ("电:护士执业注册申请审核表*", "复:护士执业资格考试成绩合格证明*", "原:健康体检证明"),
          fields=("exam_year|考试年份|integer", "institution|拟执业机构|text|80",
                  "phone|联系手机|phone"),
          identity="real_name"),
    _item("出生医学证明办理", "public_service", "health", "person:shengyu person:huji",
          "shimin huaqiao", 3, 0, None,
          "《中华人民共和国母婴保健法》第二十三条：医疗保健机构和从事家庭接生的人员按照国务院卫生行政部门"
          "的规定，出具统一制发的新生儿出生医学证明。",
          "在本市具有助产资质的医疗保健机构出生的新生儿。",
          ("原:父母双方居民身份证", "复:结婚证?", "电:出生医学证明首次签发登记表*"),
          fields=("baby_name|新生儿姓名|text|20", "birth_date|出生日期|date",
                  "hospital|出生医院|text|60"),
          summary="新生儿出生后在出生医院申领《出生医学证明》。"),
    _item("母婴保健技术服务执业许可", "licensing", "health", "enterprise:zizhi enterprise:zhunying",
          "qiye", 2, 20, 20,
          "《中华人民共和国母婴保健法》第三十二条：医疗保健机构依照本法规定开展婚前医学检查、遗传病诊断、"
          "产前诊断以及施行结扎手术和终止妊娠手术的，必须符合国务院卫生行政部门规定的条件和技术标准，"
          "并经县级以上地方人民政府卫生行政部门许可。",
          "取得医疗机构执业许可证，具备相应的人员、设备和技术条件。",
          ("原:申请书", "复:医疗机构执业许可证", "复:技术人员资格证书", "原:设备清单"),
          audience=E),
    _item("医疗机构执业登记", "licensing", "health", "enterprise:zhunying enterprise:sheli",
          "qiye touzizhe", 3, 30, 45,
          "《医疗机构管理条例》第十五条：医疗机构执业，必须进行登记，领取《医疗机构执业许可证》。",
          "按规定设置的医疗机构，房屋、设备、人员符合医疗机构基本标准。",
          ("电:医疗机构申请执业登记注册书*", "复:房屋产权证明或使用证明*", "原:规章制度",
           "复:医务人员执业证书"),
          audience=E, fields=("institution_name|医疗机构名称|text|80",
                               "credit_code|统一社会信用代码|credit_code",
                               "category|机构类别|choice|诊所/门诊部/医院/社区卫生服务站",
                               "beds|床位数|integer"),
          special="现场审核（不计入办理时限）"),
    _item("公共场所卫生许可", "licensing", "health", "enterprise:zhunying", "qiye lvyouzhe",
          4, 10, 20, "《公共场所卫生管理条例》第八条：除公园、体育场（馆）、公共交通工具外的公共场所，"
                     "经营单位应当及时向卫生行政部门申请办理“卫生许可证”。",
          "宾馆、游泳场所、美容美发等公共场所经营者，场所卫生条件符合国家卫生标准。",
          ("电:公共场所卫生许可申请表*", "电:卫生管理制度*", "复:营业执照"),
          audience=E, fields=("business_name|场所名称|text|80",
                               "credit_code|统一社会信用代码|credit_code",
                               "category|场所类别|choice|住宿/游泳/美容美发/沐浴/文化娱乐",
                               "area|经营面积（平方米）|decimal"),
          identity="verified_contact"),
    _item("放射诊疗许可", "licensing", "health", "enterprise:zizhi", "qiye", 2, 20, 20,
          "《放射诊疗管理规定》（国家卫生健康委员会令）。",
          "开展放射诊疗工作的医疗机构，具备相应的防护设施和人员。",
          ("原:放射诊疗许可申请表", "原:放射诊疗建设项目竣工验收合格证明", "复:放射工作人员证"),
          audience=E),
    _item("饮用水供水单位卫生许可", "licensing", "health", "enterprise:zhunying enterprise:zizhi",
          "qiye sannong", 2, 20, 20,
          "《中华人民共和国传染病防治法》；《生活饮用水卫生监督管理办法》第七条。",
          "集中式供水单位和二次供水单位，供水设施和水质符合卫生规范。",
          ("原:申请书", "原:水质检测报告", "复:从业人员健康证明"), audience=E),
    _item("乡村医生执业注册", "licensing", "health", "person:yiliao person:jiuye", "sannong",
          3, 20, 30, "《乡村医生从业管理条例》第九条。",
          "在村医疗卫生机构执业，取得乡村医生执业证书所需的学历或培训合格证明。",
          ("原:居民身份证", "电:乡村医生执业注册申请表*", "复:学历或培训合格证明*"),
          fields=("village_clinic|执业的村卫生室|text|60", "years|从业年限|integer")),
    _item("对公共场所卫生的监督检查", "inspection", "health", "enterprise:nianjian", "qiye",
          1, 30, 30, "《公共场所卫生管理条例》第十条。", "本市取得卫生许可证的公共场所。",
          ("原:卫生许可证",), audience=E, steps="inspection"),
    _item("对医疗机构使用非卫生技术人员的处罚", "penalty", "health", "enterprise:zhunying", "qiye",
          1, 90, 90, "《医疗机构管理条例》第四十七条。", "医疗机构使用非卫生技术人员从事医疗卫生技术工作。",
          ("原:立案审批表", "原:现场检查笔录"), audience=E, steps="enforcement"),
    _item("封闭被传染病病原体污染的公共饮用水源", "coercion", "health", "enterprise:zhunying",
          "qiye sannong", 1, 1, 1,
          "《中华人民共和国传染病防治法》：县级以上地方人民政府卫生健康主管部门在履行监督检查职责时，"
          "发现被传染病病原体污染的公共饮用水源，可以采取封闭公共饮用水源等控制措施。",
          "公共饮用水源被传染病病原体污染或者可能被污染。", ("原:现场检查笔录", "原:检验检测报告"),
          audience=E, steps="enforcement"),
    _item("预防接种证补办", "public_service", "health", "person:yiliao person:shengyu", "shimin",
          4, 3, None, "《中华人民共和国疫苗管理法》第四十七条：国家对儿童实行预防接种证制度。",
          "在本市接种的儿童预防接种证遗失或损毁。",
          ("电:儿童户口簿或出生医学证明*",),
          fields=("child_name|儿童姓名|text|20", "birth_date|出生日期|date",
                  "clinic|原接种单位|text|60")),
    _item("医疗纠纷人民调解申请", "public_service", "justice", "person:yiliao", "shimin",
          3, 30, None,
          "《医疗纠纷预防和处理条例》第二十二条；《中华人民共和国人民调解法》第十七条：当事人可以向人民调解"
          "委员会申请调解。", "发生医疗纠纷，患方和医疗机构一方或双方自愿申请调解。",
          ("原:申请人居民身份证", "电:医疗纠纷调解申请书*", "复:病历资料?"),
          fields=("hospital|涉及的医疗机构|text|80", "dispute|纠纷经过|textarea|1000")),
    # ------------------------------------------------------------------ 示例市司法局
    _item("法律援助申请", "payment", "justice", "person:shebao person:jiuye", "shimin sannong",
          4, 7, 7,
          "《中华人民共和国法律援助法》第三十八条：对诉讼事项的法律援助，由申请人向办案机关所在地的法律援助"
          "机构提出申请；对非诉讼事项的法律援助，由申请人向争议处理机关所在地或者事由发生地的法律援助机构"
          "提出申请。", "经济困难且符合法律援助事项范围的公民；农民工追索劳动报酬等无需审查经济状况。",
          ("原:居民身份证", "电:法律援助申请表*", "电:经济困难状况说明表*", "复:与所申请事项有关的材料"),
          fields=("matter|申请事项|choice|追索劳动报酬/工伤赔偿/婚姻家庭/交通事故/其他",
                  "opponent|对方当事人|text|60", "facts|案情概要|textarea|1000"),
          proxy=True, summary="经济困难公民请求免费法律咨询、代理和刑事辩护。",
          faqs=(FAQ_PROXY,)),
    _item("公证员执业审批", "licensing", "justice", "person:jiuye", "shimin", 2, 20, 20,
          "《中华人民共和国公证法》第二十一条：担任公证员，应当由符合公证员条件的人员提出申请，经公证机构推荐，"
          "由所在地的司法行政部门报省、自治区、直辖市人民政府司法行政部门审核同意后，报请国务院司法行政部门任命。",
          "具有中华人民共和国国籍，年龄二十五周岁以上六十五周岁以下，通过国家统一法律职业资格考试，"
          "在公证机构实习二年以上。", ("原:公证员任职申请书", "复:法律职业资格证书", "原:公证机构推荐书",
                                     "原:实习鉴定材料")),
    _item("律师执业许可", "licensing", "justice", "person:jiuye", "shimin", 3, 20, 20,
          "《中华人民共和国律师法》第五条、第六条：申请律师执业，应当向设区的市级或者直辖市的区人民政府"
          "司法行政部门提出申请。",
          "拥护宪法，通过国家统一法律职业资格考试，在律师事务所实习满一年，品行良好。",
          ("电:律师执业申请书*", "复:法律职业资格证书*", "原:律师协会出具的实习考核合格材料"),
          fields=("law_firm|拟执业律师事务所|text|80",
                  "kind|执业类别|choice|专职律师/兼职律师", "certificate_no|法律职业资格证书编号|text|30"),
          identity="real_name"),
    _item("律师事务所设立许可", "licensing", "justice", "enterprise:sheli", "qiye", 2, 20, 20,
          "《中华人民共和国律师法》第十八条：设立律师事务所，应当向设区的市级或者直辖市的区人民政府司法行政"
          "部门提出申请。",
          "有自己的名称、住所和章程；有符合规定的律师和资产。",
          ("原:设立申请书", "原:律师事务所章程", "复:律师执业证书", "复:住所证明", "原:资产证明"),
          audience=E),
    _item("律师事务所注销", "other_power", "justice", "enterprise:zhuxiao", "qiye", 2, 20, 20,
          "《中华人民共和国律师法》第二十二条。", "律师事务所决定解散或被撤销执业许可证书。",
          ("原:注销申请", "原:清算报告", "原:律师事务所执业许可证书正副本"), audience=E),
    _item("律师事务所年度检查考核", "inspection", "justice", "enterprise:nianjian", "qiye",
          3, 30, 60, "《律师事务所年度检查考核办法》（司法部令）。",
          "本市执业满一年的律师事务所。",
          ("电:律师事务所年度执业情况报告*", "电:年度财务审计报告*"),
          audience=E, fields=("firm_name|律师事务所名称|text|80",
                               "lawyers|执业律师人数|integer"),
          steps="inspection"),
    _item("司法鉴定机构审核登记", "licensing", "justice", "enterprise:zizhi", "qiye", 2, 20, 20,
          "《全国人民代表大会常务委员会关于司法鉴定管理问题的决定》第五条。",
          "有明确的业务范围、在业务范围内进行司法鉴定所必需的仪器设备和依法通过计量认证的检测实验室。",
          ("原:申请登记表", "复:场所证明", "原:仪器设备说明", "复:鉴定人资格证明"),
          audience=E, special="专家评审（不计入办理时限）"),
    _item("基层法律服务工作者执业核准", "licensing", "justice", "person:jiuye", "shimin sannong",
          2, 20, 20, "《基层法律服务工作者管理办法》（司法部令）。",
          "具有高等学校法律专业本科以上学历，经考核合格。",
          ("原:执业核准申请表", "复:学历证书", "原:基层法律服务所出具的同意接收证明"),
          missing="complaint_phone"),
    _item("人民调解", "public_service", "justice", "person:hunyin person:zhufang", "shimin sannong",
          3, 30, None, "《中华人民共和国人民调解法》第十七条：当事人可以向人民调解委员会申请调解。",
          "婚姻家庭、邻里、物业、房屋租赁等民间纠纷的当事人。",
          ("原:居民身份证", "电:人民调解申请书*"),
          fields=("kind|纠纷类型|choice|婚姻家庭/邻里纠纷/物业纠纷/房屋租赁/其他",
                  "facts|纠纷情况|textarea|1000"), proxy=True),
    _item("法律职业资格证书申领", "other_power", "justice", "person:jiuye", "shimin",
          4, 20, 20, "《国家统一法律职业资格考试实施办法》第二十一条。",
          "通过国家统一法律职业资格考试，符合申领条件的人员。",
          ("电:法律职业资格申请表*", "电:学历证书扫描件*"),
          fields=("exam_year|考试年份|integer", "score|考试成绩|integer"), identity="real_name"),
    _item("公证机构设立审批", "licensing", "justice", "enterprise:sheli", "qiye", 2, 30, 60,
          "《中华人民共和国公证法》第九条：设立公证机构，由所在地的司法行政部门报省、自治区、直辖市人民政府司法"
          "行政部门按照规定程序批准后，颁发公证机构执业证书。",
          "有自己的名称、固定的场所、二名以上公证员和开展公证业务所必需的资金。",
          ("原:设立申请书", "原:公证机构章程", "复:公证员名单及资格证明", "复:场所证明")),
    # ------------------------------------------------------------------ 示例市人民政府
    _item("企业投资项目核准", "licensing", "city", "enterprise:touzi", "qiye touzizhe",
          3, 20, 20,
          "《企业投资项目核准和备案管理条例》第三条、第九条：核准机关应当自受理申请之日起20个工作日内，"
          "作出是否予以核准的决定。",
          "列入政府核准的投资项目目录的企业投资项目。",
          ("电:项目申请书*", "复:城乡规划选址意见书*", "复:用地预审意见", "原:企业营业执照"),
          audience=E, fields=("project_name|项目名称|text|100",
                               "credit_code|统一社会信用代码|credit_code",
                               "investment|总投资（万元）|decimal",
                               "location|建设地点|text|100"),
          special="委托评估（不计入办理时限）", identity="verified_contact"),
    _item("外商投资项目核准", "licensing", "city", "enterprise:touzi enterprise:shangwu",
          "touzizhe huaqiao", 2, 20, 20,
          "《中华人民共和国外商投资法》第二十九条；《外商投资项目核准和备案管理办法》。",
          "列入政府核准的投资项目目录的外商投资项目。",
          ("原:项目申请报告", "复:投资者资格证明", "原:项目选址意见"), audience=E),
    _item("外商投资企业信息报告", "other_power", "city", "enterprise:shangwu enterprise:sheli",
          "touzizhe huaqiao", 4, 0, 20,
          "《中华人民共和国外商投资法》第三十四条：国家建立外商投资信息报告制度。外国投资者或者外商投资企业"
          "应当通过企业登记系统以及企业信用信息公示系统向商务主管部门报送投资信息。",
          "在本市设立或变更的外商投资企业。", ("电:外商投资信息报告表*",),
          audience=E, fields=("company|企业名称|text|100", "credit_code|统一社会信用代码|credit_code",
                               "country|投资者国别（地区）|text|40")),
    _item("专利侵权纠纷行政裁决", "adjudication", "city", "enterprise:zhishi", "qiye touzizhe",
          2, 60, 90,
          "《中华人民共和国专利法》第六十五条：未经专利权人许可，实施其专利，即侵犯其专利权，引起纠纷的，"
          "专利权人或者利害关系人可以请求管理专利工作的部门处理。",
          "专利权人或利害关系人，有明确的被请求人和具体的请求事项，未向人民法院起诉。",
          ("原:请求书", "复:专利证书", "原:侵权证据材料"), audience=E,
          special="技术鉴定（不计入办理时限）"),
    _item("专利资助奖励申领", "reward", "city", "enterprise:zhishi", "qiye", 3, 30, 60,
          "《中华人民共和国专利法》第十五条：被授予专利权的单位应当对职务发明创造的发明人或者设计人给予奖励。",
          "本市企事业单位和个人当年获得授权的发明专利。",
          ("电:专利资助申请表*", "复:专利证书*"), audience=B,
          fields=("patent_no|专利号|text|30", "patent_kind|专利类型|choice|发明/实用新型/外观设计",
                  "grant_date|授权公告日|date")),
    _item("商标品牌示范企业认定", "reward", "city", "enterprise:zhishi enterprise:shangwu", "qiye",
          2, 60, 90, "《中华人民共和国商标法》第七条。",
          "在本市注册、拥有有效注册商标且品牌建设成效明显的企业。",
          ("原:申报书", "复:商标注册证"), audience=E, missing="legal_time_limit"),
    _item("见义勇为人员奖励", "reward", "city", "person:shebao", "shimin", 2, 30, 60,
          "《中华人民共和国民法典》第一百八十三条；本省见义勇为人员奖励和保障条例。",
          "在本市行政区域内见义勇为、事迹经确认的公民。",
          ("原:见义勇为事迹申报表", "原:事发地公安机关出具的证明材料")),
    _item("非物质文化遗产代表性传承人认定", "confirmation", "city", "person:wenlv",
          "lvyouzhe shimin", 2, 60, 90,
          "《中华人民共和国非物质文化遗产法》第二十九条：国务院文化主管部门和省、自治区、直辖市人民政府"
          "文化主管部门对本级人民政府批准公布的非物质文化遗产代表性项目，可以认定代表性传承人。",
          "熟练掌握其传承的非物质文化遗产，在特定领域内具有代表性，积极开展传承活动。",
          ("原:推荐申报表", "原:传承谱系说明", "电:技艺展示视频"),
          special="专家评审（不计入办理时限）"),
    _item("旅游投诉受理", "public_service", "city", "person:wenlv", "lvyouzhe shimin huaqiao",
          4, 5, None, "《中华人民共和国旅游法》第九十一条：县级以上人民政府应当指定或者设立统一的旅游投诉"
                      "受理机构。", "在本市旅游过程中与旅游经营者发生纠纷的旅游者。",
          ("电:旅游合同或消费凭证*",),
          fields=("operator|被投诉的旅游经营者|text|80", "travel_date|旅游日期|date",
                  "facts|投诉事实和请求|textarea|1000")),
    _item("老年人景区门票优待", "public_service", "city", "person:wenlv person:jiaotong",
          "lvyouzhe shimin", 1, 0, None,
          "《中华人民共和国老年人权益保障法》第五十八条：博物馆、美术馆、科技馆、纪念馆、公共图书馆、文化馆、"
          "影剧院、体育场馆、公园、旅游景点等场所，应当对老年人免费或者优惠开放。",
          "年满60周岁的老年人，含外地来本市旅游的老年人。", ("原:居民身份证或老年人优待证",)),
    _item("外国人来华工作许可", "licensing", "city", "enterprise:renli", "huaqiao qiye touzizhe",
          4, 10, 20, "《中华人民共和国出境入境管理法》第四十一条：外国人在中国境内工作，应当按照规定取得"
                     "工作许可和工作类居留证件。",
          "用人单位依法设立，聘用的外国人符合岗位要求且无犯罪记录。",
          ("电:外国人来华工作许可申请表*", "电:工作资历证明*", "电:最高学位证书*", "电:无犯罪记录证明*"),
          audience=E, fields=("employer|用人单位|text|100",
                               "credit_code|统一社会信用代码|credit_code",
                               "nationality|外国人国籍|text|40", "position|拟任职位|text|60"),
          identity="real_name"),
    _item("城镇垃圾处理费征收", "levy", "city", "enterprise:shuishou", "qiye", 2, 5, 10,
          "《国家计委 财政部 建设部 国家环保总局关于实行城市生活垃圾处理收费制度促进垃圾处理产业化的通知》"
          "（计价格〔2002〕872号）。", "本市城区产生生活垃圾的单位和个体工商户。",
          ("复:营业执照", "原:垃圾处理费缴费登记表"), audience=E,
          fee=("《关于实行城市生活垃圾处理收费制度促进垃圾处理产业化的通知》（计价格〔2002〕872号）",
               "单位按实际产生量每吨 90 元；个体工商户每户每月 30 元")),
    # ------------------------------------------------------------------ 示例市东城区人民政府
    _item("建筑工程施工许可证核发", "licensing", "dongcheng", "enterprise:jianshe",
          "qiye touzizhe", 3, 3, 7,
          "《中华人民共和国建筑法》第七条：建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上"
          "人民政府建设行政主管部门申请领取施工许可证。",
          "已办理用地批准手续，取得建设工程规划许可证，施工场地已具备施工条件，已确定施工企业。",
          ("电:建筑工程施工许可申请表*", "复:建设工程规划许可证*", "复:中标通知书", "原:资金保函或证明"),
          audience=E, fields=("project_name|工程名称|text|100",
                               "credit_code|建设单位统一社会信用代码|credit_code",
                               "area|建筑面积（平方米）|decimal", "contract_price|合同价格（万元）|decimal",
                               "start_date|计划开工日期|date")),
    _item("临时占用城市道路许可", "licensing", "dongcheng", "enterprise:jianshe", "qiye",
          3, 5, 20, "《城市道路管理条例》第三十一条：因特殊情况需要临时占用城市道路的，须经市政工程行政"
                    "主管部门和公安交通管理部门批准，方可按照规定占用。",
          "因工程建设等特殊情况确需临时占用城市道路。",
          ("电:临时占用城市道路申请表*", "电:占道平面示意图*"), audience=B,
          fields=("road|占用道路及路段|text|100", "area|占用面积（平方米）|decimal",
                  "start_date|占用开始日期|date", "end_date|占用结束日期|date")),
    _item("城市建筑垃圾处置核准", "licensing", "dongcheng", "enterprise:jianshe", "qiye",
          2, 10, 20, "《城市市容和环境卫生管理条例》；《城市建筑垃圾管理规定》第七条。",
          "处置建筑垃圾的单位，有消纳场所和运输车辆。",
          ("原:申请表", "复:建筑垃圾消纳场所证明", "复:运输车辆行驶证"), audience=E),
    _item("企业投资项目备案", "other_power", "dongcheng", "enterprise:touzi", "qiye touzizhe",
          4, 0, 3, "《企业投资项目核准和备案管理条例》第十三条：实行备案管理的项目，企业应当在开工建设前"
                   "通过在线平台将项目信息告知备案机关。",
          "不列入政府核准目录的企业投资项目。", ("电:项目备案信息表*",),
          audience=E, fields=("project_name|项目名称|text|100",
                               "credit_code|统一社会信用代码|credit_code",
                               "investment|总投资（万元）|decimal")),
    _item("单用途商业预付卡备案", "other_power", "dongcheng", "enterprise:shangwu", "qiye",
          3, 5, 20, "《单用途商业预付卡管理办法（试行）》第七条。",
          "发行单用途商业预付卡的零售、住宿餐饮和居民服务企业。",
          ("电:单用途卡备案表*", "复:营业执照*"), audience=E,
          fields=("company|企业名称|text|100", "credit_code|统一社会信用代码|credit_code",
                  "card_kind|卡的种类|choice|记名卡/不记名卡/两者均有")),
    _item("酒类商品零售备案", "other_power", "dongcheng", "enterprise:shangwu enterprise:zhunying",
          "qiye", 2, 5, 20, "本省酒类商品流通管理条例。", "经营酒类零售的企业和个体工商户。",
          ("复:营业执照", "原:酒类零售备案登记表"), audience=E, missing="legal_basis"),
    _item("用人单位社会保险登记", "confirmation", "dongcheng", "enterprise:shebao enterprise:renli",
          "qiye", 4, 0, 30,
          "《中华人民共和国社会保险法》第五十七条：用人单位应当自成立之日起三十日内凭营业执照、登记证书或者"
          "单位印章，向当地社会保险经办机构申请办理社会保险登记。",
          "在本区登记注册的用人单位。", ("电:社会保险登记表*",),
          audience=E, fields=("company|单位名称|text|100", "credit_code|统一社会信用代码|credit_code",
                               "employees|职工人数|integer")),
    _item("工伤认定", "confirmation", "dongcheng", "enterprise:shebao person:shebao",
          "shimin qiye", 3, 60, 60,
          "《工伤保险条例》第十七条、第二十条：社会保险行政部门应当自受理工伤认定申请之日起60日内作出工伤"
          "认定的决定。", "职工发生事故伤害或被诊断为职业病，用人单位在30日内、职工或近亲属在1年内提出申请。",
          ("电:工伤认定申请表*", "复:劳动关系证明*", "复:医疗诊断证明*"), audience=B,
          fields=("employer|用人单位|text|100", "accident_date|事故发生日期|date",
                  "facts|事故经过|textarea|1000")),
    _item("就业见习基地认定", "confirmation", "dongcheng", "enterprise:renli", "qiye",
          2, 20, 30, "《中华人民共和国就业促进法》第十七条。",
          "在本区依法经营、能提供就业见习岗位的用人单位。", ("原:申请表", "原:见习岗位计划"), audience=E),
    _item("高校毕业生就业见习补贴申领", "payment", "dongcheng", "enterprise:renli person:jiuye",
          "qiye shimin", 3, 20, 30, "《中华人民共和国就业促进法》第十五条、第十七条。",
          "认定的就业见习基地吸纳离校2年内未就业高校毕业生参加见习。",
          ("电:见习补贴申请表*", "电:见习人员花名册*", "复:见习协议"), audience=E,
          fields=("company|见习基地名称|text|100", "trainees|见习人数|integer",
                  "months|见习月数|integer")),
    _item("创业担保贷款申请", "payment", "dongcheng", "person:jiuye", "shimin sannong",
          3, 15, 20, "《中华人民共和国就业促进法》第二十四条。",
          "在本区创业的高校毕业生、退役军人、就业困难人员等，经营实体正常经营。",
          ("原:居民身份证", "电:创业担保贷款申请表*", "复:营业执照*"),
          fields=("business|创业项目|text|100", "amount|申请金额（万元）|decimal"),
          identity="real_name"),
    _item("公共租赁住房申请", "public_service", "dongcheng", "person:zhufang", "shimin",
          3, 20, None, "《公共租赁住房管理办法》（住房和城乡建设部令第11号）第七条。",
          "在本区无住房或住房面积低于规定标准，收入、财产低于规定标准的家庭和新就业无房职工。",
          ("原:居民身份证", "电:公共租赁住房申请表*", "电:家庭收入证明*", "复:户口簿"),
          fields=("members|家庭人数|integer", "income|家庭年收入（元）|decimal",
                  "housing|现住房情况|choice|无自有住房/人均面积低于标准"),
          fee=("《公共租赁住房管理办法》（住房和城乡建设部令第11号）第二十条",
               "租金按市场租金的 70% 确定，每月每平方米 18 元"), proxy=True),
    _item("住房租赁补贴申领", "payment", "dongcheng", "person:zhufang", "shimin", 3, 20, 30,
          "《公共租赁住房管理办法》（住房和城乡建设部令第11号）。",
          "符合公共租赁住房保障条件且在市场租赁住房的低收入住房困难家庭。",
          ("原:居民身份证", "电:住房租赁补贴申请表*", "复:房屋租赁合同*"),
          fields=("members|家庭人数|integer", "rent|月租金（元）|decimal")),
    _item("对违法占用城市道路的处罚", "penalty", "dongcheng", "enterprise:jianshe", "qiye",
          1, 90, 90, "《城市道路管理条例》第四十二条。", "未经批准擅自占用或者挖掘城市道路等违法行为。",
          ("原:立案审批表", "原:现场勘验笔录"), audience=B, steps="enforcement",
          missing="place"),
    _item("城市基础设施配套费征收", "levy", "dongcheng", "enterprise:jianshe enterprise:shuishou",
          "qiye touzizhe", 2, 5, 10, "《国务院关于加强城市基础设施建设的意见》（国发〔2013〕36号）。",
          "在本区城市规划区内新建、扩建、改建建设项目的建设单位。",
          ("复:建设工程规划许可证", "原:缴费登记表"), audience=E,
          fee=("本省城市基础设施配套费征收管理办法", "按建筑面积每平方米 150 元")),
    # ------------------------------------------------------------------ 东城区民政局
    _item("结婚登记", "confirmation", "dongcheng-minzheng", "person:hunyin", "shimin huaqiao",
          2, 0, 1,
          "《中华人民共和国民法典》第一千零四十九条：要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。"
          "符合本法规定的，予以登记，发给结婚证。《婚姻登记条例》第四条。",
          "男不得早于二十二周岁，女不得早于二十周岁；双方自愿；双方均无配偶；无禁止结婚的亲属关系。",
          ("原:本人居民身份证", "原:本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明",
           "原:近期半身免冠合影照片"),
          summary="男女双方共同到婚姻登记机关申请，当场办结。",
          faqs=(("结婚登记需要预约吗？", "可以在本网站“预约办事”中预约婚姻登记处的办理时段，也可现场取号。"),)),
    _item("离婚登记", "confirmation", "dongcheng-minzheng", "person:hunyin", "shimin", 2, 30, 30,
          "《中华人民共和国民法典》第一千零七十六条、第一千零七十七条：自婚姻登记机关收到离婚登记申请之日起"
          "三十日内，任何一方不愿意离婚的，可以向婚姻登记机关撤回离婚登记申请。",
          "双方自愿离婚，对子女抚养、财产及债务处理等事项协商一致。",
          ("原:双方居民身份证", "原:结婚证", "原:离婚协议书"), special="离婚冷静期30日（不计入办理时限）"),
    _item("补领婚姻登记证", "confirmation", "dongcheng-minzheng", "person:hunyin", "shimin",
          3, 0, 1, "《婚姻登记条例》第十七条：结婚证、离婚证遗失或者损毁的，当事人可以持户口簿、身份证向"
                   "原办理婚姻登记的机关或者一方当事人常住户口所在地的婚姻登记机关申请补领。",
          "结婚证、离婚证遗失或者损毁，婚姻登记档案可查。",
          ("原:居民身份证", "电:近期半身免冠照片*"),
          fields=("kind|补领证件|choice|结婚证/离婚证", "register_year|原登记年份|integer")),
    _item("收养登记", "confirmation", "dongcheng-minzheng", "person:shengyu person:hunyin",
          "shimin huaqiao", 2, 30, 30,
          "《中华人民共和国民法典》第一千一百零五条：收养应当向县级以上人民政府民政部门登记。收养关系自登记之日"
          "起成立。", "收养人无子女或者只有一名子女，有抚养、教育和保护被收养人的能力，年满三十周岁。",
          ("原:收养人居民身份证和户口簿", "原:收养申请书", "原:县级以上医疗机构出具的体检证明",
           "原:送养人的送养意见")),
    _item("最低生活保障审批", "payment", "dongcheng-minzheng", "person:shebao", "shimin sannong",
          3, 30, 30,
          "《社会救助暂行办法》第九条、第十一条：申请最低生活保障，按照下列程序办理：共同生活的家庭成员向户籍"
          "所在地的乡镇人民政府、街道办事处提出书面申请。",
          "共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合家庭财产状况规定。",
          ("原:居民身份证", "电:最低生活保障申请书*", "电:家庭收入和财产申报表*",
           "原:家庭经济状况核对授权书"),
          fields=("members|共同生活家庭人数|integer", "income|家庭月收入（元）|decimal",
                  "reason|致困原因|choice|疾病/残疾/失业/其他"),
          proxy=True, summary="街道受理、民政局审批的最低生活保障金。", faqs=(FAQ_PROXY, FAQ_PROGRESS)),
    _item("特困人员救助供养", "payment", "dongcheng-minzheng", "person:shebao", "shimin sannong",
          3, 20, 20,
          "《社会救助暂行办法》第十四条：国家对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，或者其法定"
          "义务人无履行义务能力的老年人、残疾人以及未满16周岁的未成年人，给予特困人员供养。",
          "无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其无履行义务能力的老年人、残疾人、未成年人。",
          ("原:居民身份证", "电:特困人员救助供养申请书*"),
          fields=("care|供养方式|choice|分散供养/集中供养", "ability|生活自理能力|choice|完全自理/部分自理/完全不能自理"),
          proxy=True, faqs=(FAQ_PROXY,)),
    _item("临时救助申请", "payment", "dongcheng-minzheng", "person:shebao", "shimin sannong",
          3, 10, 15,
          "《社会救助暂行办法》第四十七条：国家对因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，"
          "导致基本生活暂时出现严重困难的家庭，给予临时救助。",
          "因意外事件、突发重大疾病等导致基本生活暂时出现严重困难的家庭或个人。",
          ("原:居民身份证", "电:临时救助申请书*", "复:困难情况证明材料*"),
          fields=("event|致困事由|choice|火灾/交通事故/突发重大疾病/其他意外",
                  "amount|申请金额（元）|decimal", "facts|困难情况说明|textarea|500"),
          proxy=True),
    _item("困难残疾人生活补贴和重度残疾人护理补贴", "payment", "dongcheng-minzheng", "person:shebao",
          "shimin sannong", 3, 20, 30,
          "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）；"
          "《中华人民共和国残疾人保障法》第四十八条。",
          "持有第二代残疾人证的低保家庭残疾人（生活补贴）和残疾等级为一、二级的重度残疾人（护理补贴）。",
          ("原:居民身份证", "复:第二代残疾人证*", "电:残疾人两项补贴申请审批表*"),
          fields=("disability_card|残疾人证号|text|30",
                  "subsidy|申请补贴|choice|困难残疾人生活补贴/重度残疾人护理补贴/两项均申请"),
          proxy=True, summary="残疾人两项补贴：困难残疾人生活补贴和重度残疾人护理补贴。"),
    _item("社会团体成立登记", "licensing", "dongcheng-minzheng", "enterprise:sheli", "qiye",
          3, 60, 60,
          "《社会团体登记管理条例》第三条：成立社会团体，应当经其业务主管单位审查同意，并依照本条例的规定"
          "进行登记。",
          "有50个以上的个人会员或者30个以上的单位会员；有规范的名称和相应的组织机构；有固定的住所；"
          "有与其业务活动相适应的专职工作人员；有合法的资产和经费来源。",
          ("电:成立登记申请书*", "电:社会团体章程草案*", "复:业务主管单位批准文件", "复:住所使用证明"),
          audience=E, fields=("org_name|社会团体名称|text|100",
                               "members|会员数量|integer", "funds|注册资金（万元）|decimal")),
    _item("民办非企业单位成立登记", "licensing", "dongcheng-minzheng", "enterprise:sheli", "qiye",
          2, 30, 30, "《民办非企业单位登记管理暂行条例》第三条、第八条。",
          "经业务主管单位审查同意；有规范的名称、必要的组织机构；有与其业务活动相适应的从业人员和合法财产。",
          ("原:登记申请书", "原:业务主管单位的批准文件", "复:场所使用权证明", "原:验资报告")),
    _item("社会团体年度检查", "inspection", "dongcheng-minzheng", "enterprise:nianjian", "qiye",
          4, 30, 60, "《社会团体登记管理条例》第二十八条：社会团体应当于每年3月31日前向业务主管单位报送上一年度"
                     "的工作报告。", "在本区登记的社会团体。",
          ("电:年度工作报告书*", "电:年度财务审计报告*"), audience=E,
          fields=("org_name|社会团体名称|text|100", "credit_code|统一社会信用代码|credit_code",
                  "income|年度总收入（万元）|decimal"), steps="inspection"),
    _item("民办非企业单位年度检查", "inspection", "dongcheng-minzheng", "enterprise:nianjian", "qiye",
          4, 30, 60, "《民办非企业单位登记管理暂行条例》第二十三条。",
          "在本区登记的民办非企业单位。", ("电:年度工作报告书*",), audience=E,
          fields=("org_name|单位名称|text|100", "credit_code|统一社会信用代码|credit_code"),
          steps="inspection"),
    _item("社会团体注销登记", "other_power", "dongcheng-minzheng", "enterprise:zhuxiao", "qiye",
          2, 15, 30, "《社会团体登记管理条例》第十九条、第二十条。",
          "完成章程规定的宗旨、自行解散、分立合并或因其他原因终止的社会团体，清算完毕。",
          ("原:注销登记申请书", "原:业务主管单位审查文件", "原:清算报告", "原:登记证书正副本"),
          audience=E),
    _item("民办非企业单位注销登记", "other_power", "dongcheng-minzheng", "enterprise:zhuxiao",
          "qiye", 2, 15, 30, "《民办非企业单位登记管理暂行条例》第十五条、第十六条。",
          "自行解散、分立合并或因其他原因需要注销的民办非企业单位，清算完毕。",
          ("原:注销登记申请书", "原:清算报告"), audience=E, missing="office_hours"),
    _item("公益性社会组织捐赠税前扣除资格确认", "confirmation", "dongcheng-minzheng",
          "enterprise:shuishou", "qiye", 2, 30, 60,
          "《中华人民共和国企业所得税法》第九条；《财政部 税务总局 民政部关于公益性捐赠税前扣除有关事项的公告》"
          "（2020年第27号）。", "依法登记、从事公益慈善事业、年度检查合格的社会组织。",
          ("原:申请报告", "复:登记证书", "原:年度审计报告"), audience=E),
    _item("养老机构备案", "other_power", "dongcheng-minzheng", "enterprise:zhunying",
          "qiye shimin", 4, 0, 5,
          "《中华人民共和国老年人权益保障法》第四十三条：设立公益性养老机构，应当依法办理相应的登记。"
          "设立经营性养老机构，应当在市场监督管理部门办理登记。养老机构登记后即可开展服务活动，并向县级以上"
          "人民政府民政部门备案。", "已依法办理登记的养老机构。",
          ("电:养老机构备案书*", "电:养老机构备案承诺书*"), audience=E,
          fields=("org_name|养老机构名称|text|100", "credit_code|统一社会信用代码|credit_code",
                  "beds|床位数|integer")),
    _item("殡葬补贴申领", "payment", "dongcheng-minzheng", "person:shebao", "shimin sannong",
          3, 10, 15, "《殡葬管理条例》；本市惠民殡葬政策。",
          "本区户籍居民去世后在本市殡仪馆火化的，其家属可申领基本殡葬服务补贴。",
          ("原:经办人居民身份证", "复:火化证明*", "复:死亡医学证明*"),
          fields=("deceased|逝者姓名|text|20", "deceased_id|逝者居民身份证号码|resident_id",
                  "relation|申请人与逝者关系|choice|配偶/子女/父母/其他近亲属"),
          proxy=True),
    _item("慈善组织认定", "confirmation", "dongcheng-minzheng", "enterprise:sheli",
          "qiye", 3, 20, 20, "《中华人民共和国慈善法》第十条：已经设立的基金会、社会团体、社会服务机构等非营利性"
          "组织，可以向办理其登记的民政部门申请认定为慈善组织，民政部门应当自受理申请之日起二十日内作出决定。",
          "以开展慈善活动为宗旨，不以营利为目的，有自己的名称和住所，有组织章程。",
          ("电:慈善组织认定申请书*", "电:符合慈善组织条件的章程*", "复:登记证书"), audience=E,
          fields=("org_name|组织名称|text|100", "credit_code|统一社会信用代码|credit_code")),
    _item("居家养老服务补贴申领", "payment", "dongcheng-minzheng", "person:shebao", "shimin",
          3, 20, 30, "《中华人民共和国老年人权益保障法》第三十七条。",
          "本区户籍、经评估失能或半失能的低收入老年人。",
          ("原:居民身份证", "电:居家养老服务补贴申请表*", "电:老年人能力评估报告*"),
          fields=("assessment|能力评估等级|choice|轻度失能/中度失能/重度失能",
                  "service|所需服务|multiple_choice|助餐/助洁/助浴/助医"), proxy=True),
    # ------------------------------------------------------------------ 东湖街道办事处
    _item("计划生育特别扶助金申领", "payment", "dongcheng-donghu", "person:shengyu", "shimin",
          3, 20, 30, "《中华人民共和国人口与计划生育法》第三十一条：独生子女发生意外伤残、死亡的，按照规定获得扶助。",
          "独生子女死亡或伤残、未再生育或收养子女、女方年满49周岁的夫妻。",
          ("原:居民身份证", "电:特别扶助金申请表*", "复:子女死亡或伤残证明*"),
          fields=("child_status|子女情况|choice|死亡/伤残", "bank_account|发放银行账号|text|30"),
          proxy=True),
    _item("生育登记服务", "public_service", "dongcheng-donghu", "person:shengyu", "shimin",
          4, 0, None, "《中华人民共和国人口与计划生育法》第十八条；本省人口与计划生育条例。",
          "户籍或居住地在东湖街道、生育子女的夫妻。", ("电:夫妻双方居民身份证*",),
          fields=("child_order|生育子女数|choice|第一个子女/第二个子女/第三个子女",
                  "expected_date|预产期|date"),
          summary="生育一孩、二孩、三孩的夫妻网上登记，当场办结。"),
    _item("计划生育家庭奖励扶助金申领", "payment", "dongcheng-donghu", "person:shengyu",
          "shimin sannong", 3, 20, 30, "《中华人民共和国人口与计划生育法》第二十七条、第三十一条。",
          "年满60周岁、只生育一个子女或合法收养一个子女的计划生育家庭夫妻。",
          ("原:居民身份证", "电:奖励扶助金申请表*", "复:独生子女父母光荣证*"),
          fields=("child_name|子女姓名|text|20", "bank_account|发放银行账号|text|30"),
          proxy=True),
    _item("独生子女父母光荣证补办", "public_service", "dongcheng-donghu", "person:shengyu",
          "shimin", 2, 0, None, "《中华人民共和国人口与计划生育法》第二十七条。",
          "原领取的独生子女父母光荣证遗失或损毁。", ("原:夫妻双方居民身份证", "原:户口簿")),
    _item("居住证签注", "public_service", "dongcheng-donghu", "person:huji", "shimin huaqiao",
          3, 0, None, "《居住证暂行条例》第十三条：居住证每年签注1次。",
          "在本市居住、持有有效期内居住证的人员，居住满一年仍在本市居住。",
          ("原:居住证", "电:居住证明材料*"),
          fields=("residence|现居住地址|text|100", "employer|就业单位|text|100"),
          fee=("《居住证暂行条例》第十四条（补领、换领居住证的，应当缴纳工本费）",
               "签注免费；补领、换领每证 20 元"), proxy=True),
    _item("就业创业证申领", "public_service", "dongcheng-donghu", "person:jiuye", "shimin sannong",
          4, 0, None, "《中华人民共和国就业促进法》第三十五条；《就业服务与就业管理规定》第六十二条。",
          "法定劳动年龄内、有劳动能力和就业要求的城乡劳动者。", ("电:居民身份证*",),
          fields=("education|文化程度|choice|初中及以下/高中（中专）/大专/本科及以上",
                  "status|就业状况|choice|失业/灵活就业/自主创业"),
          identity="account"),
    _item("失业登记", "public_service", "dongcheng-donghu", "person:jiuye", "shimin", 3, 0, None,
          "《中华人民共和国就业促进法》第四十二条；《就业服务与就业管理规定》第六十一条。",
          "法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城镇常住人员。",
          ("原:居民身份证", "电:解除或终止劳动合同证明*"),
          fields=("last_employer|原工作单位|text|100", "leave_date|离职日期|date")),
    _item("灵活就业人员登记", "public_service", "dongcheng-donghu", "person:jiuye", "shimin",
          2, 0, None, "《中华人民共和国就业促进法》第二十条。",
          "从事非全日制、临时性、季节性就业的人员。", ("原:居民身份证",), missing="consultation_phone"),
    _item("高龄津贴申领", "payment", "dongcheng-donghu", "person:shebao", "shimin sannong",
          3, 10, 20,
          "《中华人民共和国老年人权益保障法》第三十三条：国家建立和完善老年人福利制度，根据经济社会发展水平和"
          "老年人的实际需要，增加老年人的社会福利。国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。",
          "具有本区户籍、年满80周岁的老年人。", ("原:居民身份证", "电:高龄津贴申请表*"),
          fields=("bank_account|发放银行账号|text|30", "agent|代办人姓名|text|20"),
          proxy=True, faqs=(FAQ_PROXY,)),
    _item("城乡居民基本养老保险参保登记", "public_service", "dongcheng-donghu", "person:shebao",
          "shimin sannong", 4, 0, None,
          "《中华人民共和国社会保险法》第二十条、第二十二条；《国务院关于建立统一的城乡居民基本养老保险制度的"
          "意见》（国发〔2014〕8号）。",
          "年满16周岁（不含在校学生）、非国家机关和事业单位工作人员、不属于职工基本养老保险覆盖范围的城乡居民。",
          ("电:居民身份证*",),
          fields=("grade|缴费档次|choice|200元/500元/1000元/2000元/3000元",
                  "bank_account|银行账号|text|30")),
    _item("城乡居民基本医疗保险参保登记", "public_service", "dongcheng-donghu", "person:yiliao",
          "shimin sannong", 4, 0, None, "《中华人民共和国社会保险法》第二十五条。",
          "不属于职工基本医疗保险覆盖范围的城乡居民。", ("电:居民身份证或户口簿*",),
          fields=("insured_name|参保人姓名|text|20", "insured_id|参保人居民身份证号码|resident_id")),
    _item("老年人优待证办理", "public_service", "dongcheng-donghu", "person:jiaotong person:wenlv",
          "shimin lvyouzhe", 3, 0, None,
          "《中华人民共和国老年人权益保障法》第五十七条：城市公共交通、公路、铁路、水路和航空客运，应当为老年人"
          "提供优待和照顾。", "年满60周岁的本区户籍老年人和持居住证的常住老年人。",
          ("原:居民身份证", "电:近期免冠照片*"),
          fields=("card_kind|优待证类别|choice|60-64周岁优待证/65周岁以上免费乘车证",
                  "phone|联系手机|phone"),
          proxy=True),
    _item("残疾人机动轮椅车燃油补贴申领", "payment", "dongcheng-donghu", "person:jiaotong",
          "shimin", 2, 10, 20, "《中华人民共和国残疾人保障法》第五十条。",
          "持有残疾人证、驾驶本人所有的残疾人机动轮椅车的下肢残疾人。",
          ("原:残疾人证", "复:机动车行驶证", "复:机动车驾驶证")),
    _item("住房困难家庭认定初审", "public_service", "dongcheng-donghu", "person:zhufang",
          "shimin", 3, 10, None, "《公共租赁住房管理办法》（住房和城乡建设部令第11号）第九条。",
          "本街道辖区内申请住房保障的家庭。",
          ("原:居民身份证", "电:住房情况申报表*"),
          fields=("members|家庭人数|integer", "area|现住房建筑面积（平方米）|decimal"),
          proxy=True),
    _item("街道文化站场地借用", "public_service", "dongcheng-donghu", "person:wenlv",
          "shimin lvyouzhe", 4, 0, None,
          "《中华人民共和国公共文化服务保障法》第三十一条：公共文化设施应当根据其功能定位，按照国家有关规定，"
          "向公众免费或者优惠开放。", "辖区居民、社区文艺团队和社会组织开展公益文化活动。",
          ("电:场地借用申请表*",),
          fields=("activity|活动名称|text|60", "date|活动日期|date", "people|参加人数|integer"),
          identity="account"),
    _item("退休人员社会化管理服务登记", "public_service", "dongcheng-donghu", "enterprise:shebao",
          "qiye shimin", 2, 0, None, "《中华人民共和国社会保险法》第七条。",
          "企业退休人员移交街道实行社会化管理。", ("复:退休审批表", "原:退休人员基本信息登记表"),
          audience=B),
    _item("困难群众医疗救助申请", "payment", "dongcheng-donghu", "person:yiliao person:shebao",
          "shimin sannong", 3, 15, 20, "《社会救助暂行办法》第二十八条至第三十条。",
          "最低生活保障家庭成员、特困供养人员和因病致贫家庭的重病患者。",
          ("原:居民身份证", "电:医疗救助申请表*", "复:医疗费用票据和结算单*"),
          fields=("hospital|就诊医院|text|60", "expense|自付医疗费用（元）|decimal"), proxy=True),
    _item("临时救助（街道审批）", "payment", "dongcheng-donghu", "person:shebao", "shimin",
          2, 5, 5, "《社会救助暂行办法》第四十八条：申请临时救助，应当向乡镇人民政府、街道办事处提出，"
                   "经审核、公示后，由县级人民政府民政部门审批；救助金额较小的，县级人民政府民政部门可以委托"
                   "乡镇人民政府、街道办事处审批。", "基本生活暂时出现严重困难、救助金额在街道审批权限内的家庭。",
          ("原:居民身份证", "原:临时救助申请书"), missing="complaint_phone"),
    _item("流动人口居住登记", "public_service", "dongcheng-donghu", "person:huji", "shimin huaqiao",
          2, 0, None, "《居住证暂行条例》第九条。", "离开常住户口所在地到东湖街道居住的公民。",
          ("原:居民身份证", "原:住所证明"), missing="acceptance_conditions"),
    _item("辖区企业安全生产检查", "inspection", "dongcheng-donghu", "enterprise:nianjian",
          "qiye", 1, 10, 30, "《中华人民共和国安全生产法》第六十五条、第九十四条（乡镇人民政府和街道办事处）。",
          "辖区内生产经营单位。", ("原:检查记录",), audience=E, steps="inspection",
          missing="office_hours"),
    # ------------------------------------------------------------------ 滨湖社区居民委员会
    _item("人户分离人员居住登记", "public_service", "dongcheng-donghu-binhu", "person:huji",
          "shimin", 3, 0, None, "《居住证暂行条例》第九条。",
          "户籍不在滨湖社区、实际居住在社区的居民。", ("原:居民身份证", "电:租房合同或房屋产权证明*"),
          fields=("address|居住地址|text|100", "move_in|入住日期|date")),
    _item("家庭医生签约服务", "public_service", "dongcheng-donghu-binhu", "person:yiliao",
          "shimin", 4, 0, None,
          "《中华人民共和国基本医疗卫生与健康促进法》第三十一条：国家推进基层医疗卫生机构实行家庭医生签约服务。",
          "滨湖社区常住居民，老年人、孕产妇、儿童、慢性病患者优先。", ("电:居民身份证*",),
          fields=("members|签约人数|integer", "priority|重点人群|choice|老年人/孕产妇/儿童/慢性病患者/一般人群")),
    _item("社区图书室借阅证办理", "public_service", "dongcheng-donghu-binhu", "person:wenlv",
          "shimin lvyouzhe", 1, 0, None, "《中华人民共和国公共图书馆法》第三十三条。",
          "社区居民和在社区工作的人员。", ("原:居民身份证",), missing="legal_basis"),
    _item("社区老年助餐服务登记", "public_service", "dongcheng-donghu-binhu", "person:shebao",
          "shimin", 3, 0, None,
          "《中华人民共和国老年人权益保障法》第三十七条：地方各级人民政府和有关部门应当采取措施，发展城乡社区"
          "养老服务，鼓励、扶持专业服务机构及其他组织和个人，为居家的老年人提供生活照料、紧急救援、医疗护理、"
          "精神慰藉、心理咨询等多种形式的服务。", "滨湖社区年满60周岁的老年人。",
          ("原:居民身份证", "电:助餐服务申请表*"),
          fields=("meal|用餐方式|choice|堂食/送餐上门", "diet|饮食禁忌|text|100")),
    _item("高龄津贴代办", "public_service", "dongcheng-donghu-binhu", "person:shebao", "shimin",
          2, 0, None, "《中华人民共和国老年人权益保障法》第三十三条。",
          "行动不便、委托社区代为申领高龄津贴的80周岁以上老年人。",
          ("原:老年人居民身份证", "原:委托书"), proxy=True),
)


def _material(text: str) -> dict:
    form = "original"
    if ":" in text:
        prefix, text = text.split(":", 1)
        form = MATERIAL_FORMS.get(prefix, "original")
    upload = text.endswith("*")
    text = text.rstrip("*")
    optional = text.endswith("?")
    text = text.rstrip("?")
    return {"name": text, "form": form, "copies": 1, "is_required": not optional,
            "source": "申请人自备", "notes": "", "upload_required": upload}


def _field(text: str) -> dict:
    name, label, kind, *extra = text.split("|")
    entry = {"name": name, "label": label, "kind": kind, "is_required": True}
    if kind in ("choice", "multiple_choice") and extra:
        entry["choices"] = "\n".join(extra[0].split("/"))
    elif kind in ("text", "textarea") and extra:
        entry["max_length"] = int(extra[0])
    elif kind == "decimal" or kind == "integer":
        entry["min_value"] = "0"
    return entry


def _steps(item: DemoItem) -> list[dict]:
    if item.steps:
        key = item.steps
    elif item.promised == 0:
        key = "instant"
    elif item.kind in ("penalty", "coercion"):
        key = "enforcement"
    elif item.kind in STEPS:
        key = item.kind
    else:
        key = "service"
    return [{"name": name, "description": description} for name, description in STEPS[key]]


def _entry(item: DemoItem, code: str, sort_order: int) -> dict:
    desk = BODY_DESKS[item.body]
    depth = item.depth
    entry = {
        "code": code, "name": item.name, "kind": item.kind, "implementing_body": item.body,
        "audience": item.audience, "themes": list(item.themes), "channels": list(item.channels),
        "summary": item.summary, "legal_basis": item.basis,
        "acceptance_conditions": item.conditions,
        "process_description": "",
        "place": desk.place, "office_hours": OFFICE_HOURS,
        "legal_time_limit_days": item.legal, "promised_time_limit_days": item.promised,
        "charges_fee": item.fee is not None,
        "fee_basis": item.fee[0] if item.fee else "",
        "fee_standard": item.fee[1] if item.fee else "",
        "consultation_phone": desk.phone, "complaint_phone": COMPLAINT_PHONE,
        "visits_required": 0 if depth == 4 else 1, "special_procedures": item.special,
        "online_depth": depth, "required_identity": item.identity,
        "accepts_proxy": item.proxy,
        "delivery_methods": ["online"] if depth == 4 else (
            ["collect", "post"] if item.kind == "licensing" else ["collect"]),
        "is_published": True, "sort_order": sort_order,
        "materials": [_material(text) for text in item.materials],
        "steps": _steps(item),
        "faqs": [{"question": question, "answer": answer} for question, answer in (
            *item.faqs, *((FAQ_FEE,) if item.fee else ()))],
        "form_fields": [_field(text) for text in item.fields],
    }
    if item.missing == "legal_time_limit":
        entry["legal_time_limit_days"] = None
    elif item.missing == "materials":
        entry["materials"] = []
    elif item.missing:
        entry[item.missing] = ""
    entry.update(item.extra)
    return entry


def demo_items() -> list[dict]:
    """Every demo item as an entry of the catalogue exchange format, with stable codes
    (body prefix, kind, number within the body)."""
    numbers: dict[str, int] = {}
    entries = []
    for order, item in enumerate(DEMO_ITEMS, start=1):
        desk = BODY_DESKS[item.body]
        numbers[item.body] = numbers.get(item.body, 0) + 1
        code = f"{desk.prefix}-{KIND_CODES[item.kind]}-{numbers[item.body]:03d}"
        entries.append(_entry(item, code, order * 10))
    return entries
