"""Fixed vocabularies of government information disclosure (政府信息公开).

The lists with legal weight (proactive categories, response kinds and their annual report rows)
are data tables in ``catalogue_data.py`` and ``response_kinds.py`` with their sources cited.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryScheme(models.TextChoices):
    """Which catalogue a category belongs to."""

    STATUTORY = "statutory", _("法定主动公开内容")
    # 公共企事业单位办事公开: a supervising department's own kinds for its sector, and the kinds
    # the public institutions it supervises (hospitals, schools, utilities) publish under.
    SECTOR_SUPERVISION = "sector_supervision", _("主管部门办事公开")
    INSTITUTION = "institution", _("公共企事业单位办事公开")


class DisclosureAttribute(models.TextChoices):
    """公开属性 (政府信息公开目录系统实施指引)."""

    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class Validity(models.TextChoices):
    """有效性, marked on the original when a document lapses or is repealed."""

    VALID = "valid", _("有效")
    LAPSED = "lapsed", _("失效")
    REPEALED = "repealed", _("废止")


class DisclosureMethod(models.TextChoices):
    """公开方式."""

    WEBSITE = "website", _("政府网站")
    GAZETTE = "gazette", _("政府公报")
    PRESS_CONFERENCE = "press_conference", _("新闻发布会")
    NEWSPAPER = "newspaper", _("报刊、广播、电视")
    BULLETIN_BOARD = "bulletin_board", _("公开栏、电子屏")
    READING_ROOM = "reading_room", _("政府信息查阅场所")


class Genre(models.TextChoices):
    """体裁分类. 规章 and 行政规范性文件 feed table 二 of the annual report."""

    REGULATION = "regulation", _("规章")
    NORMATIVE_DOCUMENT = "normative_document", _("行政规范性文件")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    CIRCULAR = "circular", _("通报")
    ANNOUNCEMENT = "announcement", _("公告、通告")
    REPORT = "report", _("报告")
    REPLY = "reply", _("批复")
    LETTER = "letter", _("函")
    PLAN = "plan", _("规划、计划")
    STATISTICS = "statistics", _("统计信息")
    WORK_UPDATE = "work_update", _("工作动态")
    OTHER = "other", _("其他")


class Theme(models.TextChoices):
    """主题分类 (国务院公文主题分类, first level)."""

    GENERAL_AFFAIRS = "general_affairs", _("综合政务")
    ECONOMY = "economy", _("国民经济管理、国有资产监管")
    FINANCE = "finance", _("财政、金融、审计")
    LAND_ENERGY = "land_energy", _("国土资源、能源")
    AGRICULTURE = "agriculture", _("农业、林业、水利")
    INDUSTRY_TRANSPORT = "industry_transport", _("工业、交通")
    TRADE = "trade", _("商贸、海关、旅游")
    MARKET_SAFETY = "market_safety", _("市场监管、安全生产监管")
    CONSTRUCTION_ENVIRONMENT = "construction_environment", _("城乡建设、环境保护")
    SCIENCE_EDUCATION = "science_education", _("科技、教育")
    CULTURE = "culture", _("文化、广电、新闻出版")
    HEALTH_SPORTS = "health_sports", _("卫生、体育")
    POPULATION = "population", _("人口与计划生育、妇女儿童工作")
    LABOUR_PERSONNEL = "labour_personnel", _("劳动、人事、监察")
    PUBLIC_SECURITY_JUSTICE = "public_security_justice", _("公安、安全、司法")
    CIVIL_AFFAIRS = "civil_affairs", _("民政、扶贫、救灾")
    ETHNIC_RELIGION = "ethnic_religion", _("民族、宗教")
    FOREIGN_AFFAIRS = "foreign_affairs", _("对外事务")
    HONG_KONG_MACAO_TAIWAN = "hong_kong_macao_taiwan", _("港澳台侨工作")
    NATIONAL_DEFENCE = "national_defence", _("国防")
    OTHER = "other", _("其他")


class ServiceAudience(models.TextChoices):
    """服务对象分类."""

    PUBLIC = "public", _("社会公众")
    CITIZENS = "citizens", _("自然人")
    ENTERPRISES = "enterprises", _("企业")
    ORGANISATIONS = "organisations", _("社会组织")
    GOVERNMENT = "government", _("政府机关")


class ApplicantKind(models.TextChoices):
    """申请人类型 (条例 第二十九条; 年报表三 columns)."""

    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人或其他组织")


class OrganisationKind(models.TextChoices):
    """法人或其他组织 sub-kinds, the columns of annual report table 三."""

    COMMERCIAL_ENTERPRISE = "commercial_enterprise", _("商业企业")
    RESEARCH_INSTITUTION = "research_institution", _("科研机构")
    PUBLIC_WELFARE_ORGANISATION = "public_welfare_organisation", _("社会公益组织")
    LEGAL_SERVICE_PROVIDER = "legal_service_provider", _("法律服务机构")
    OTHER = "other", _("其他")


class IdentityDocumentKind(models.TextChoices):
    """身份证明类型."""

    RESIDENT_ID_CARD = "resident_id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳居民来往内地通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾居民来往大陆通行证")
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident", _("外国人永久居留身份证")
    BUSINESS_LICENCE = "business_licence", _("营业执照（统一社会信用代码）")
    OTHER = "other", _("其他证件")


class ApplicationChannel(models.TextChoices):
    """How an application arrived; fixes its receipt date (条例 第三十一条)."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    REGISTERED_POST = "registered_post", _("挂号信、EMS等需签收的邮件")
    ORDINARY_POST = "ordinary_post", _("平常信函")
    FAX = "fax", _("传真")


class WantedForm(models.TextChoices):
    """所需信息的提供形式."""

    PAPER = "paper", _("纸质文本")
    ELECTRONIC = "electronic", _("电子文档")
    OTHER = "other", _("其他形式")


class DeliveryMethod(models.TextChoices):
    """获取信息的方式."""

    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    ONLINE = "online", _("网上获取")
    COLLECT = "collect", _("当面领取")
    FAX = "fax", _("传真")


class ApplicationStatus(models.TextChoices):
    """依申请公开 application states; see docs/domains/disclosure.md for the transitions."""

    AWAITING_CONFIRMATION = "awaiting_confirmation", _("待确认收到")
    PROCESSING = "processing", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    CONSULTING = "consulting", _("征求第三方意见")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结（未作实体答复）")
    TRANSFERRED = "transferred", _("已转办")


class ApplicationEventKind(models.TextChoices):
    """Timeline entries of an application (办理过程)."""

    SUBMITTED = "submitted", _("提交申请")
    RECEIPT_CONFIRMED = "receipt_confirmed", _("确认收到申请")
    ASSIGNED = "assigned", _("分派承办人")
    CORRECTION_REQUESTED = "correction_requested", _("告知补正")
    CORRECTION_RECEIVED = "correction_received", _("收到补正材料")
    CORRECTION_EXPIRED = "correction_expired", _("逾期不补正")
    CONSULTATION_STARTED = "consultation_started", _("征求第三方意见")
    CONSULTATION_ENDED = "consultation_ended", _("第三方意见答复")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期答复")
    EXTENSION_APPROVED = "extension_approved", _("延期答复（已告知申请人）")
    EXTENSION_REFUSED = "extension_refused", _("延期申请未获批准")
    FEE_REQUESTED = "fee_requested", _("发出收费通知")
    FEE_PAID = "fee_paid", _("缴纳信息处理费")
    FEE_EXPIRED = "fee_expired", _("逾期未缴费")
    ANSWERED = "answered", _("作出答复")
    TRANSFERRED = "transferred", _("转办")
    TRANSFERRED_IN = "transferred_in", _("转入")
    REMINDER_SENT = "reminder_sent", _("到期提醒")
    NOTE = "note", _("办理备注")


class AppealKind(models.TextChoices):
    """Annual report table 四 columns: 行政复议, 行政诉讼."""

    ADMINISTRATIVE_REVIEW = "administrative_review", _("行政复议")
    LAWSUIT_DIRECT = "lawsuit_direct", _("行政诉讼（未经复议直接起诉）")
    LAWSUIT_AFTER_REVIEW = "lawsuit_after_review", _("行政诉讼（复议后起诉）")


class AppealOutcome(models.TextChoices):
    """Annual report table 四 result columns."""

    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class ReminderKind(models.TextChoices):
    """Deadline reminders (到期提醒, 超期督办)."""

    DUE_SOON = "due_soon", _("即将到期提醒承办人")
    OVERDUE = "overdue", _("超期提醒负责人")


class ResponseKind(models.TextChoices):
    """答复类型: the outcomes of 条例 第三十六条 and 第三十条, one per row of annual report
    table 三 part 三 (国办公开办函〔2021〕30号). ``response_kinds.RESPONSE_KINDS`` gives each
    its row, its legal source and its letter template."""

    DISCLOSED = "disclosed", _("予以公开")
    PARTIALLY_DISCLOSED = "partially_disclosed", _("部分公开")
    REFUSED_STATE_SECRET = "refused_state_secret", _("不予公开：属于国家秘密")
    REFUSED_OTHER_LAW = "refused_other_law", _("不予公开：其他法律行政法规禁止公开")
    REFUSED_SECURITY_STABILITY = "refused_security_stability", _("不予公开：危及“三安全一稳定”")
    REFUSED_THIRD_PARTY = "refused_third_party", _("不予公开：保护第三方合法权益")
    REFUSED_INTERNAL_AFFAIRS = "refused_internal_affairs", _("不予公开：属于三类内部事务信息")
    REFUSED_PROCESS_INFORMATION = "refused_process_information", _("不予公开：属于四类过程性信息")
    REFUSED_ENFORCEMENT_FILE = "refused_enforcement_file", _("不予公开：属于行政执法案卷")
    REFUSED_ADMINISTRATIVE_QUERY = "refused_administrative_query", _("不予公开：属于行政查询事项")
    NOT_HELD = "not_held", _("本机关不掌握相关政府信息")
    NEEDS_NEW_PROCESSING = "needs_new_processing", _("没有现成信息需要另行制作")
    STILL_UNCLEAR = "still_unclear", _("补正后申请内容仍不明确")
    NOT_PROCESSED_PETITION = "not_processed_petition", _("不予处理：信访举报投诉类申请")
    NOT_PROCESSED_REPEATED = "not_processed_repeated", _("不予处理：重复申请")
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", _("不予处理：要求提供公开出版物")
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", _("不予处理：无正当理由大量反复申请")
    NOT_PROCESSED_CONFIRMATION = "not_processed_confirmation", _(
        "不予处理：要求行政机关确认或重新出具已获取信息"
    )
    OTHER_NO_CORRECTION = "other_no_correction", _("其他处理：申请人无正当理由逾期不补正")
    OTHER_UNPAID_FEE = "other_unpaid_fee", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    OTHER = "other", _("其他处理：其他")
