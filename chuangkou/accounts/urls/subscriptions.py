"""订阅 under /yonghu/subscriptions/: the citizen's pages, the private feed and the one-click
unsubscribe link (the last two without sign-in)."""

from django.urls import path, re_path

from ..views import subscriptions as views

urlpatterns = [
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/add/", views.subscription_add, name="subscription_add"),
    path("subscriptions/<int:pk>/delivery/", views.subscription_delivery,
         name="subscription_delivery"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete,
         name="subscription_delete"),
    re_path(r"^subscriptions/feed/(?P<token>[A-Za-z0-9_-]{1,64})\.xml$", views.subscription_feed,
            name="subscription_feed"),
    re_path(r"^subscriptions/unsubscribe/(?P<token>[A-Za-z0-9_:-]{1,200})/$",
            views.unsubscribe_link, name="unsubscribe"),
]
