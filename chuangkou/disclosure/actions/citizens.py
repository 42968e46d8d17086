"""What closing a citizen account does to the 依申请公开 applications they made while signed in
(账号注销, 个人信息保护法 第四十七条): the applicant's personal details are removed and the link
to the account cut; the applications, their numbers, timelines and responses stay, being
records the annual report counts (条例 第五十条) and appeals may still concern."""

import hashlib
from uuid import uuid4

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangkou.core.audit import record_event

from ..models import ApplicantDetails, ApplicationEvent, DisclosureApplication

__all__ = ["anonymise_applications_of_user"]


@transaction.atomic
def anonymise_applications_of_user(*, user) -> int:
    """Anonymise the applicant of every application ``user`` made: name → 已注销用户, ID
    document number, phone, e-mail, address and the other contacts cleared, the account link
    cut. Returns how many applications changed.

    The applicant key (a digest of the ID number, which could be found again by trying every
    number) is replaced by one random key shared by these applications: they still count
    together for the monthly fee (国办函〔2020〕109号), and no longer lead to the person."""
    applications = list(DisclosureApplication.objects.select_for_update()
                        .filter(user=user).order_by("pk"))
    if not applications:
        return 0
    ids = [application.pk for application in applications]
    ApplicantDetails.objects.filter(application_id__in=ids).update(
        name=_("已注销用户"), identity_document_number="", legal_representative="",
        contact_person="", phone="", email="", address="", postcode="")
    ApplicationEvent.objects.filter(application_id__in=ids, actor=user).update(actor=None)
    closed_key = hashlib.sha256(f"closed-account:{uuid4().hex}".encode()).hexdigest()
    DisclosureApplication.objects.filter(pk__in=ids).update(
        user=None, applicant_key=closed_key, updated_at=timezone.now())
    for application in applications:
        record_event("disclosure.applicant.anonymised", target=application,
                     data={"reason": "account_closed"})
    return len(ids)
