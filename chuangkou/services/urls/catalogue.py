"""Public URLs of the service catalogue (事项目录 and 办事指南)."""

from django.urls import path

from ..views import catalogue as views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("items/", views.item_list, name="items"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("items/<str:code>/print/", views.item_print, name="item_print"),
    path("bodies/<slug:slug>/", views.body_items, name="body_items"),
    path("themes/<str:audience>/<slug:slug>/", views.theme_items, name="theme_items"),
    path("channels/<slug:slug>/", views.channel_items, name="channel_items"),
]
