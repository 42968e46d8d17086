"""Applications built through the actions, as staff and applicants make them."""

import itertools
from datetime import date

from chuangkou.core.validators import resident_id_check_character
from chuangkou.disclosure import actions
from chuangkou.disclosure.actions.applications import ApplicantInput, InformationRequest
from chuangkou.disclosure.choices import (
    ApplicantKind,
    ApplicationChannel,
    DeliveryMethod,
    IdentityDocumentKind,
    WantedForm,
)
from chuangkou.organizations.choices import Role

_sequence = itertools.count(1)


def resident_id(serial: int = 1, *, born: str = "19850312") -> str:
    """A valid 18-character 公民身份号码 (杭州市上城区 area code, GB 11643 check digit)."""
    first = f"330102{born}{serial % 1000:03d}"
    return first + resident_id_check_character(first)


def applicant_input(*, number: str | None = None, email: str = "zhang@example.com",
                    **overrides) -> ApplicantInput:
    values = {
        "name": "张明华", "identity_document_kind": IdentityDocumentKind.RESIDENT_ID_CARD,
        "identity_document_number": number or resident_id(next(_sequence)),
        "phone": "13812345678", "email": email, "address": "示例市东城区和平路12号",
        "postcode": "310002",
    }
    values.update(overrides)
    return ApplicantInput(**values)


def information_request(**overrides) -> InformationRequest:
    values = {
        "applicant_kind": ApplicantKind.NATURAL_PERSON,
        "information_title": "2025年度示例市义务教育阶段学校招生计划",
        "information_description": "请提供2025年度示例市义务教育阶段各公办学校的招生计划及划片范围。",
        "wanted_form": WantedForm.ELECTRONIC, "delivery_method": DeliveryMethod.EMAIL,
    }
    values.update(overrides)
    return InformationRequest(**values)


def form_data(**overrides) -> dict:
    """A valid POST of the public application form."""
    data = {
        "applicant_kind": ApplicantKind.NATURAL_PERSON, "organisation_kind": "",
        "name": "张明华", "identity_document_kind": IdentityDocumentKind.RESIDENT_ID_CARD,
        "identity_document_number": resident_id(7), "legal_representative": "",
        "contact_person": "", "phone": "13812345678", "email": "zhang@example.com",
        "address": "示例市东城区和平路12号", "postcode": "310002",
        "information_title": "2025年度示例市义务教育阶段学校招生计划",
        "information_document_number": "",
        "information_description": "请提供2025年度示例市义务教育阶段各公办学校的招生计划。",
        "wanted_form": WantedForm.ELECTRONIC, "delivery_method": DeliveryMethod.EMAIL,
        "form_token": f"token-{next(_sequence)}",
    }
    data.update(overrides)
    return data


def make_application(cluster, *, body_slug: str = "education", received_on: date,
                     applicant: ApplicantInput | None = None, **request):
    """An application entered by the body's disclosure officer, clock started."""
    body = getattr(cluster, {"dongcheng": "district"}.get(body_slug, body_slug))
    application, _code = actions.enter_staff_application(
        body=body, applicant=applicant or applicant_input(),
        request=information_request(**request), channel=ApplicationChannel.IN_PERSON,
        received_on=received_on, actor=cluster.user(body_slug, Role.DISCLOSURE_OFFICER))
    return application


def make_online_application(cluster, *, body_slug: str = "education", token: str | None = None,
                            applicant: ApplicantInput | None = None, user=None):
    body = getattr(cluster, {"dongcheng": "district"}.get(body_slug, body_slug))
    return actions.submit_online_application(
        body=body, applicant=applicant or applicant_input(), request=information_request(),
        form_token=token or f"token-{next(_sequence)}", user=user)
