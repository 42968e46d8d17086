"""Response kinds as data: each kind's row in annual report table 三, its legal source and the
opening of its reply letter (告知书). One kind, one row: the annual report counts responses by
kind, so a response can never be counted twice or fall between rows.

Sources: 政府信息公开条例 第三十条、第三十三条、第三十六条至第三十九条; the rows are those of
国办公开办函〔2021〕30号 表三 "三、本年度办理结果".
"""

from dataclasses import dataclass

from .choices import ResponseKind


@dataclass(frozen=True)
class ResponseKindRule:
    kind: str
    report_row: str  # the row key of annual report table 三, e.g. "3.3.1"
    report_label: str  # the row as printed in the report
    source: str
    letter_opening: str
    closes_without_substance: bool = False  # 其他处理: no substantive answer was given

RESPONSE_KINDS: dict[str, ResponseKindRule] = {rule.kind: rule for rule in [
    ResponseKindRule(
        ResponseKind.DISCLOSED, "3.1", "（一）予以公开", "条例 第三十六条第（一）（二）项",
        "经审查，您申请获取的政府信息属于公开范围，本机关决定予以公开。",
    ),
    ResponseKindRule(
        ResponseKind.PARTIALLY_DISCLOSED, "3.2", "（二）部分公开", "条例 第三十七条",
        "经审查，您申请获取的政府信息中含有不应当公开的内容，本机关对可以公开的部分予以公开。",
    ),
    ResponseKindRule(
        ResponseKind.REFUSED_STATE_SECRET, "3.3.1", "（三）不予公开 1.属于国家秘密",
        "条例 第十四条、第三十六条第（三）项",
        "经审查，您申请获取的政府信息属于国家秘密，依法不予公开。",
    ),
    ResponseKindRule(
        ResponseKind.REFUSED_OTHER_LAW, "3.3.2", "（三）不予公开 2.其他法律行政法规禁止公开",
        "条例 第十四条、第三十六条第（三）项",
        "经审查，您申请获取的政府信息属于法律、行政法规禁止公开的信息，依法不予公开。",
    ),
    ResponseKindRule(
        ResponseKind.REFUSED_SECURITY_STABILITY, "3.3.3", "（三）不予公开 3.危及“三安全一稳定”",
        "条例 第十四条、第三十六条第（三）项",
        "经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，"
        "依法不予公开。",
    ),
    ResponseKindRule(
        ResponseKind.REFUSED_THIRD_PARTY, "3.3.4", "（三）不予公开 4.保护第三方合法权益",
        "条例 第十五条、第三十二条、第三十六条第（三）项",
        "经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，"
        "依法不予公开。",
    ),
    ResponseKindRule(
        ResponseKind.REFUSED_INTERNAL_AFFAIRS, "3.3.5", "（三）不予公开 5.属于三类内部事务信息",
        "条例 第十六条第一款、第三十六条第（三）项",
        "经审查，您申请获取的信息属于行政机关的内部事务信息，可以不予公开。",
    ),
    ResponseKindRule(
        ResponseKind.REFUSED_PROCESS_INFORMATION, "3.3.6", "（三）不予公开 6.属于四类过程性信息",
        "条例 第十六条第二款、第三十六条第（三）项",
        "经审查，您申请获取的信息属于行政机关在履行职责过程中形成的过程性信息，可以不予公开。",
    ),
    ResponseKindRule(
        ResponseKind.REFUSED_ENFORCEMENT_FILE, "3.3.7", "（三）不予公开 7.属于行政执法案卷",
        "条例 第十六条第二款、第三十六条第（三）项",
        "经审查，您申请获取的信息属于行政执法案卷信息，可以不予公开。",
    ),
    ResponseKindRule(
        ResponseKind.REFUSED_ADMINISTRATIVE_QUERY, "3.3.8", "（三）不予公开 8.属于行政查询事项",
        "条例 第三十六条第（七）项",
        "经审查，您申请获取的信息属于法律、行政法规规定的行政查询事项，请依照相关规定办理查询。",
    ),
    ResponseKindRule(
        ResponseKind.NOT_HELD, "3.4.1", "（四）本机关不掌握相关政府信息 1.本机关不掌握相关政府信息",
        "条例 第三十六条第（四）（五）项",
        "经检索查找，本机关未制作、获取您申请的政府信息。",
    ),
    ResponseKindRule(
        ResponseKind.NEEDS_NEW_PROCESSING, "3.4.2",
        "（四）本机关不掌握相关政府信息 2.没有现成信息需要另行制作", "条例 第三十八条",
        "您申请获取的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。",
    ),
    ResponseKindRule(
        ResponseKind.STILL_UNCLEAR, "3.4.3", "（四）本机关不掌握相关政府信息 3.补正后申请内容仍不明确",
        "条例 第三十条", "您补正后的申请内容仍不明确，本机关无法确定您所需的政府信息。",
    ),
    ResponseKindRule(
        ResponseKind.NOT_PROCESSED_PETITION, "3.5.1", "（五）不予处理 1.信访举报投诉类申请",
        "条例 第三十九条第一款",
        "您提出的申请属于信访、投诉、举报等诉求，不作为政府信息公开申请处理，请通过相应渠道提出。",
    ),
    ResponseKindRule(
        ResponseKind.NOT_PROCESSED_REPEATED, "3.5.2", "（五）不予处理 2.重复申请",
        "条例 第三十六条第（六）项",
        "您的申请与本机关已经答复的申请内容相同，本机关不予重复处理。",
    ),
    ResponseKindRule(
        ResponseKind.NOT_PROCESSED_PUBLICATION, "3.5.3", "（五）不予处理 3.要求提供公开出版物",
        "条例 第三十九条第二款", "您要求提供的是公开出版物，本机关可告知获取途径，不作为政府信息公开申请处理。",
    ),
    ResponseKindRule(
        ResponseKind.NOT_PROCESSED_EXCESSIVE, "3.5.4", "（五）不予处理 4.无正当理由大量反复申请",
        "条例 第三十五条",
        "您提出的申请数量、频次明显超过合理范围，且未能说明理由或理由不合理，本机关不予处理。",
    ),
    ResponseKindRule(
        ResponseKind.NOT_PROCESSED_CONFIRMATION, "3.5.5",
        "（五）不予处理 5.要求行政机关确认或重新出具已获取信息", "条例 第三十九条第二款",
        "您要求本机关确认或者重新出具已获取的信息，不作为政府信息公开申请处理。",
    ),
    ResponseKindRule(
        ResponseKind.OTHER_NO_CORRECTION, "3.6.1",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "条例 第三十条", "您未在补正期限内补正申请，视为放弃申请，本机关不再处理该政府信息公开申请。",
        closes_without_substance=True,
    ),
    ResponseKindRule(
        ResponseKind.OTHER_UNPAID_FEE, "3.6.2",
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "条例 第四十二条；国办函〔2020〕109号",
        "您未在收费通知规定的期限内缴纳信息处理费，本机关不再处理该政府信息公开申请。",
        closes_without_substance=True,
    ),
    ResponseKindRule(
        ResponseKind.OTHER, "3.6.3", "（六）其他处理 3.其他", "条例 第三十六条",
        "关于您的政府信息公开申请，本机关答复如下。",
    ),
]}
