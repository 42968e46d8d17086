from django.urls import path

from ..views import security as views

urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/password/", views.security_password, name="security_password"),
    path("security/<str:kind>/change/", views.security_change_contact,
         name="security_change_contact"),
    path("security/<str:kind>/change/confirm/", views.security_confirm_contact,
         name="security_confirm_contact"),
    path("security/<str:kind>/verify/send/", views.security_send_code,
         name="security_send_code"),
    path("security/<str:kind>/verify/", views.security_verify_contact,
         name="security_verify_contact"),
    path("security/sign-out-everywhere/", views.security_sign_out_everywhere,
         name="sign_out_everywhere"),
]
