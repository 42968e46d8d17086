"""Admin URLs of 公众账号 and 实名认证审核, and the account officer's home panel."""

from django.urls import path
from wagtail import hooks

from ..admin_views import citizens, identity
from ..queries.personal_data import may_verify_identities, verification_queue_counts


@hooks.register("register_admin_urls")
def register_citizen_admin_urls():
    return [
        path("accounts/citizens/", citizens.CitizenListView.as_view(), name="accounts_citizens"),
        path("accounts/citizens/<uuid:public_id>/", citizens.CitizenDetailView.as_view(),
             name="accounts_citizen"),
        path("accounts/citizens/<uuid:public_id>/personal-data/",
             citizens.RevealCitizenView.as_view(), name="accounts_citizen_reveal"),
        path("accounts/real-name/", identity.RealNameRequestListView.as_view(),
             name="accounts_real_name_requests"),
        path("accounts/real-name/<int:pk>/", identity.RealNameRequestView.as_view(),
             name="accounts_real_name_request"),
        path("accounts/real-name/<int:pk>/details/",
             identity.RevealRealNameRequestView.as_view(),
             name="accounts_real_name_request_reveal"),
        path("accounts/real-name/<int:pk>/approve/", identity.RealNameDecisionView.as_view(),
             {"decision": "approve"}, name="accounts_real_name_approve"),
        path("accounts/real-name/<int:pk>/reject/", identity.RealNameDecisionView.as_view(),
             {"decision": "reject"}, name="accounts_real_name_reject"),
    ]


@hooks.register("construct_homepage_panels")
def add_verification_queue_panel(request, panels):
    if may_verify_identities(request.user):
        panels.append(identity.VerificationQueuePanel(verification_queue_counts()))
