from django.urls import path

from ..views import registration as views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/verify/", views.register_verify, name="register_verify"),
    path("register/resend/", views.register_resend, name="register_resend"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("reset/", views.reset, name="reset"),
    path("reset/confirm/", views.reset_confirm, name="reset_confirm"),
    path("reset/resend/", views.reset_resend, name="reset_resend"),
]
