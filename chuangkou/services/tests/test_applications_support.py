"""Helpers the applications tests share (no tests here): files, applicants, a proxy chain of
bodies (community → street → district bureau) with handlers."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from chuangkou.organizations.choices import BodyKind, Role
from chuangkou.organizations.tests.factories import make_body, make_staff

from ..actions.applications import ApplicantInput, submit_application
from ..choices import FormFieldKind
from ..models import OnlineFormField, ServiceItem

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "转学申请表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def applicant(**overrides) -> ApplicantInput:
    values = {"name": "李建华", "phone": "13912345678", "email": "li.jianhua@example.com",
              "resident_id": "11010519491231002X"}
    values.update(overrides)
    return ApplicantInput(**values)


GOOD_ANSWERS = {"student_name": "李小明", "grade": "二年级"}


def required_material(item: ServiceItem):
    return item.materials.get(upload_required=True)


def submit(item: ServiceItem, **kwargs):
    """Submit a valid application for a ``make_item`` item; returns (application, code)."""
    values = {"item": item, "applicant": applicant(), "answers": dict(GOOD_ANSWERS),
              "uploads": {required_material(item).pk: [pdf()]}}
    values.update(kwargs)
    return submit_application(**values)


@dataclass
class ProxyChain:
    street: object
    community: object
    bureau: object
    community_handler: object
    street_handler: object
    bureau_handler: object


def make_proxy_chain(cluster) -> ProxyChain:
    """东城区 → 东湖街道 → 东湖社区, and 东城区民政局 under the district."""
    street = make_body(parent=cluster.district, name="东湖街道办事处", short_name="东湖街道",
                       slug="donghu-street", kind=BodyKind.STREET_OFFICE)
    community = make_body(parent=street, name="东湖社区居民委员会", short_name="东湖社区",
                          slug="donghu-community", kind=BodyKind.COMMUNITY)
    bureau = make_body(parent=cluster.district, name="东城区民政局", short_name="东城区民政局",
                       slug="dongcheng-minzheng")
    return ProxyChain(
        street=street, community=community, bureau=bureau,
        community_handler=make_staff(body=community, role=Role.SERVICE_HANDLER),
        street_handler=make_staff(body=street, role=Role.SERVICE_HANDLER),
        bureau_handler=make_staff(body=bureau, role=Role.SERVICE_HANDLER))


def add_field(item: ServiceItem, name: str, kind: str, **extra) -> OnlineFormField:
    extra.setdefault("label", name)
    extra.setdefault("sort_order", 10 + item.form_fields.count())
    return OnlineFormField.objects.create(item=item, name=name, kind=kind, **extra)


__all__ = ["FormFieldKind"]
