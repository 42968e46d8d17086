"""Demo 依申请公开 applications at the demo city's 教育局, made through the actions: one
answered, one in hand, one awaiting a 补正, one online application awaiting confirmation, and
the demo citizen 张伟's own online application, confirmed and in hand (on his 我的主页).
Safe to run twice: an application with the same title at the body is not made again."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.accounts.demo import citizens as demo_citizens
from chuangkou.organizations.models import Body

from .. import actions
from ..actions.applications import ApplicantInput, InformationRequest
from ..choices import (
    ApplicantKind,
    ApplicationChannel,
    DeliveryMethod,
    IdentityDocumentKind,
    OrganisationKind,
    ResponseKind,
    WantedForm,
)
from ..models import DisclosureApplication
from ..queries.applications import response_letter_draft

BODY_SLUG = "education"
OFFICER = "jyj_disclosure"

DEMO_APPLICANTS = {
    "person": ApplicantInput(
        name="王建国", identity_document_kind=IdentityDocumentKind.RESIDENT_ID_CARD,
        identity_document_number="330102198503120017", phone="13905710001",
        email="wangjianguo@example.com", address="示例市东城区解放路88号", postcode="310002"),
    "law_firm": ApplicantInput(
        name="示例市明德律师事务所", identity_document_kind=IdentityDocumentKind.BUSINESS_LICENCE,
        identity_document_number="91330100MA27XL0A2C", phone="0571-87001234",
        legal_representative="陈立", contact_person="周敏", email="office@mingde.example.com",
        address="示例市西湖区文三路199号", postcode="310012"),
}

DEMO_REQUESTS = [
    ("answered", "person", InformationRequest(
        applicant_kind=ApplicantKind.NATURAL_PERSON,
        information_title="2024年示例市义务教育阶段公办学校学区划分方案",
        information_description="申请公开2024年示例市东城区义务教育阶段公办小学、初中的学区划分方案及调整说明。",
        wanted_form=WantedForm.ELECTRONIC, delivery_method=DeliveryMethod.EMAIL)),
    ("processing", "law_firm", InformationRequest(
        applicant_kind=ApplicantKind.LEGAL_PERSON,
        organisation_kind=OrganisationKind.LEGAL_SERVICE_PROVIDER,
        information_title="示例市校外培训机构审批登记名单",
        information_description="申请公开截至2024年12月31日经示例市教育局审批登记的校外培训机构名单及办学许可证编号。",
        wanted_form=WantedForm.PAPER, delivery_method=DeliveryMethod.POST)),
    ("correction", "person", InformationRequest(
        applicant_kind=ApplicantKind.NATURAL_PERSON,
        information_title="学校建设相关文件",
        information_description="申请公开学校建设的相关文件。",
        wanted_form=WantedForm.ELECTRONIC, delivery_method=DeliveryMethod.ONLINE)),
    ("online", "person", InformationRequest(
        applicant_kind=ApplicantKind.NATURAL_PERSON,
        information_title="2025年示例市中小学教师招聘计划",
        information_description="申请公开2025年示例市教育局直属学校教师招聘计划的岗位数和学科分布。",
        wanted_form=WantedForm.ELECTRONIC, delivery_method=DeliveryMethod.ONLINE)),
]


CITIZEN_REQUEST = InformationRequest(
    applicant_kind=ApplicantKind.NATURAL_PERSON,
    information_title="示例市2025年义务教育阶段居住证积分入学细则",
    information_description="申请公开示例市2025年义务教育阶段随迁子女居住证积分入学的积分细则、"
                            "各区分数线及学位分配情况。",
    wanted_form=WantedForm.ELECTRONIC, delivery_method=DeliveryMethod.ONLINE)


def _load_citizen_application(*, body: Body, officer) -> int:
    """张伟's application, made through his account; nothing when the accounts demo has not
    run."""
    account = demo_citizens.demo_citizen("zhangwei")
    if account is None or DisclosureApplication.objects.filter(
            body=body, information_title=CITIZEN_REQUEST.information_title).exists():
        return 0
    data = getattr(account, "personal_data", None)
    applicant = ApplicantInput(
        name=data.real_name if data and data.real_name else "张伟",
        identity_document_kind=IdentityDocumentKind.RESIDENT_ID_CARD,
        identity_document_number=(data.id_number if data and data.id_number
                                  else "110101199003074477"),
        phone=data.mobile if data and data.mobile else "13905710188",
        email=data.email if data else "")
    application, _code = actions.submit_online_application(
        body=body, applicant=applicant, request=CITIZEN_REQUEST, user=account.user,
        form_token=f"demo-citizen-zhangwei-{BODY_SLUG}")
    actions.confirm_application_receipt(application=application, actor=officer,
                                        received_on=timezone.localdate())
    return 1


def load_applications_demo(*, stdout=None) -> None:
    body = Body.objects.filter(slug=BODY_SLUG).first()
    officer = get_user_model().objects.filter(username=OFFICER).first()
    if body is None or officer is None:
        if stdout:
            stdout.write("依申请公开演示：缺少教育局或其政务公开工作人员，请先运行 load_demo。")
        return
    today = timezone.localdate()
    made = 0
    for state, who, request in DEMO_REQUESTS:
        if DisclosureApplication.objects.filter(
                body=body, information_title=request.information_title).exists():
            continue
        made += 1
        if state == "online":
            actions.submit_online_application(
                body=body, applicant=DEMO_APPLICANTS[who], request=request,
                form_token=f"demo-{BODY_SLUG}-{request.information_title}"[:64])
            continue
        received = today - timedelta(days=3 if state == "correction" else 10)
        application, _code = actions.enter_staff_application(
            body=body, applicant=DEMO_APPLICANTS[who], request=request,
            channel=ApplicationChannel.IN_PERSON if who == "person"
            else ApplicationChannel.REGISTERED_POST, received_on=received, actor=officer)
        if state == "answered":
            actions.answer_application(
                application=application, actor=officer, kind=ResponseKind.DISCLOSED,
                letter_text=response_letter_draft(
                    application, kind=ResponseKind.DISCLOSED,
                    detail="相关学区划分方案已通过电子邮件发送，并在本机关门户网站“政府信息公开”栏目公开。"))
        elif state == "correction":
            actions.request_correction(
                application=application, actor=officer,
                notice="您申请的“学校建设的相关文件”描述不明确，请补正：学校名称、建设项目名称、"
                       "文件的大致形成时间或文号。")
    made += _load_citizen_application(body=body, officer=officer)
    if stdout:
        stdout.write(f"依申请公开演示：新增 {made} 件申请。")
