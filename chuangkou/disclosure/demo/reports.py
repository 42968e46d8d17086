"""Demo: the education bureau's 2025 annual disclosure report, generated from the demo data and
published with explanatory text in the style of real reports (original text about 示例市)."""

from django.db import transaction
from django.utils import timezone

from chuangkou.organizations.models import Body

from ..actions import generate_annual_report
from ..annual_report import cross_check
from ..models import AnnualReportPage
from ..queries.reports import annual_report_column_of

DEMO_BODY = "education"
DEMO_YEAR = 2025

OVERVIEW = """
<p>2025年，示例市教育局坚持以人民为中心的发展思想，认真贯彻落实《中华人民共和国政府信息公开条例》和市政府关于政务公开工作的部署，围绕教育改革发展重点任务，持续加大主动公开力度，规范依申请公开办理，不断提升政务公开工作质量。</p>
<p>（一）主动公开。全年通过局门户网站、政务新媒体等渠道主动公开政府信息，重点做好义务教育招生入学政策、中小学校学位预警、学生资助、教师招聘、校外培训机构监管等信息的公开，及时发布招生政策问答和入学办理指南，方便群众查询办理。</p>
<p>（二）依申请公开。严格执行申请登记、审核、答复等工作流程，按照法定期限和答复规范办理政府信息公开申请，做到依法依规、答复规范，对办理中的难点问题及时会商，依法保障申请人的知情权。</p>
<p>（三）政府信息管理。落实公开前保密审查和“三审”制度，对行政规范性文件实行统一登记、统一编号、统一公开，及时对失效、废止文件作出标注，动态更新政府信息公开目录。</p>
<p>（四）平台建设。依托全市政府网站集约化平台，完善本局政府信息公开平台的“政府信息公开指南”“政府信息公开制度”“法定主动公开内容”“政府信息公开年报”等栏目，提升信息检索、查阅和下载的便利性。</p>
<p>（五）监督保障。将政务公开工作纳入局机关年度工作考核，定期开展网站和公开栏目内容检查，及时整改发现的问题，并组织政务公开业务培训，提高工作人员依法公开的意识和能力。</p>
"""

PROBLEMS = """
<p>2025年，我局政府信息公开工作取得了一定成效，但对照群众期待仍有差距：一是政策解读形式还不够丰富，图解、视频等通俗易懂的解读材料偏少；二是部分基层学校信息公开的及时性和规范性有待提高；三是依申请公开答复文书的说理性还需加强。</p>
<p>2026年，我局将着重做好以下工作：一是围绕招生入学、学生资助、课后服务等群众关注事项，丰富政策解读形式，提高解读的针对性；二是加强对各级各类学校办事公开的指导和检查，推动学校信息公开规范化；三是规范依申请公开办理流程，加强答复文书的审核把关，依法保障申请人的合法权益。</p>
"""

OTHER_MATTERS = """
<p>我局依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）规范信息处理费的收取，收费情况按规定如实统计。</p>
<p>本年度我局认真办理人大代表建议和政协提案，办理结果已按规定公开；按照政务公开工作要点，完成了年度各项政务公开任务。</p>
"""


def load_reports_demo(*, stdout=None) -> None:
    """Generate and publish the 2025 report of 教育局 (idempotent: a report already live is left
    as it is), and generate this year's report as a draft so staff see the live counts."""
    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    body = Body.objects.filter(slug=DEMO_BODY).first()
    if body is None or annual_report_column_of(body) is None:
        say("年报演示数据：教育局尚无政府信息公开平台，已跳过。")
        return
    this_year = timezone.localdate().year
    if not AnnualReportPage.objects.filter(body=body, year=this_year).exists():
        generate_annual_report(body=body, year=this_year, actor=None)
    if AnnualReportPage.objects.filter(body=body, year=DEMO_YEAR, live=True).exists():
        say("年报演示数据：2025年度报告已发布，未改动。")
        return
    with transaction.atomic():
        page = generate_annual_report(body=body, year=DEMO_YEAR, actor=None)
        draft = page.get_latest_revision_as_object()
        draft.overview = OVERVIEW.strip()
        draft.problems_and_improvements = PROBLEMS.strip()
        draft.other_matters = OTHER_MATTERS.strip()
        revision = draft.save_revision(user=None)
        problems = cross_check(draft.report_tables())
        if problems:
            say("年报演示数据：勾稽关系不符，年报保留为草稿：" + "；".join(
                problem.message for problem in problems))
            return
        revision.publish(user=None)
    say(f"年报演示数据：已发布“{page.title}”。")
