"""Public URLs of 服务定制 (我的网上办事, 收藏)."""

from django.urls import path

from ..views import customisation as views

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("items/<str:code>/pin/", views.pin, name="pin"),
    path("items/<str:code>/unpin/", views.unpin, name="unpin"),
    path("items/<str:code>/move/", views.move_pin, name="move_pin"),
]
