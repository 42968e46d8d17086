"""The catalogue every disclosure platform starts with, as data with its sources.

- The four fixed first-level columns of a disclosure platform (政府信息公开目录系统实施指引).
- The statutory proactive categories (政府信息公开条例 第二十条 (一)-(十五)); city and county
  governments add the categories of 第二十一条. Bodies may add sub-categories under any of them.
"""

from dataclasses import dataclass

PLATFORM_SOURCE = "政府信息公开目录系统实施指引"


@dataclass(frozen=True)
class FixedColumn:
    slug: str
    title: str
    role: str  # which page type carries it: "column", "catalogue", "annual_reports"


PLATFORM_COLUMNS = (
    FixedColumn("zhinan", "政府信息公开指南", "column"),
    FixedColumn("zhidu", "政府信息公开制度", "column"),
    FixedColumn("fdzdgknr", "法定主动公开内容", "catalogue"),
    FixedColumn("nianbao", "政府信息公开年报", "annual_reports"),
)


@dataclass(frozen=True)
class StatutoryCategory:
    code: str
    name: str
    source: str
    local_government_only: bool = False  # 第二十一条: 设区的市级、县级人民政府及其部门


ARTICLE_20 = "政府信息公开条例 第二十条"
ARTICLE_21 = "政府信息公开条例 第二十一条"

STATUTORY_CATEGORIES = (
    StatutoryCategory("regulations", "行政法规、规章和规范性文件", f"{ARTICLE_20}第（一）项"),
    StatutoryCategory("functions", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
                      f"{ARTICLE_20}第（二）项"),
    StatutoryCategory("plans", "国民经济和社会发展规划、专项规划、区域规划及相关政策",
                      f"{ARTICLE_20}第（三）项"),
    StatutoryCategory("statistics", "国民经济和社会发展统计信息", f"{ARTICLE_20}第（四）项"),
    StatutoryCategory("licensing", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
                      f"{ARTICLE_20}第（五）项"),
    StatutoryCategory("penalties", "实施行政处罚、行政强制的依据、条件、程序以及重大行政处罚决定",
                      f"{ARTICLE_20}第（六）项"),
    StatutoryCategory("fiscal", "财政预算、决算信息", f"{ARTICLE_20}第（七）项"),
    StatutoryCategory("fees", "行政事业性收费项目及其依据、标准", f"{ARTICLE_20}第（八）项"),
    StatutoryCategory("procurement", "政府集中采购项目的目录、标准及实施情况",
                      f"{ARTICLE_20}第（九）项"),
    StatutoryCategory("major_projects", "重大建设项目的批准和实施情况", f"{ARTICLE_20}第（十）项"),
    StatutoryCategory("livelihood", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
                      f"{ARTICLE_20}第（十一）项"),
    StatutoryCategory("emergencies", "突发公共事件的应急预案、预警信息及应对情况",
                      f"{ARTICLE_20}第（十二）项"),
    StatutoryCategory("inspections", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
                      f"{ARTICLE_20}第（十三）项"),
    StatutoryCategory("civil_service", "公务员招考的职位、名额、报考条件等事项以及录用结果",
                      f"{ARTICLE_20}第（十四）项"),
    StatutoryCategory("other_statutory", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
                      f"{ARTICLE_20}第（十五）项"),
    StatutoryCategory("municipal_construction", "市政建设", ARTICLE_21, local_government_only=True),
    StatutoryCategory("public_services", "公共服务", ARTICLE_21, local_government_only=True),
    StatutoryCategory("public_welfare", "公益事业", ARTICLE_21, local_government_only=True),
    StatutoryCategory("land_expropriation", "土地征收", ARTICLE_21, local_government_only=True),
    StatutoryCategory("housing_expropriation", "房屋征收", ARTICLE_21, local_government_only=True),
    StatutoryCategory("public_order", "治安管理", ARTICLE_21, local_government_only=True),
    StatutoryCategory("social_assistance", "社会救助", ARTICLE_21, local_government_only=True),
)

# 第二十条第（一）项 sub-kinds that annual report table 二 counts.
ANNUAL_REPORT_TABLE_TWO_SOURCE = "国办公开办函〔2021〕30号 表二"
