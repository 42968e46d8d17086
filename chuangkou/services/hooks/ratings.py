"""Admin URLs and menu item of 好差评 (办件人员 and 政务服务督办员)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from chuangkou.core.admin_menu import PermissionMenuItem

from ..admin_views import ratings as views
from ..queries.ratings import may_use_ratings_admin
from .menu import SERVICES_MENU_HOOK


@hooks.register("register_admin_urls")
def register_ratings_urls():
    return [
        path("services/ratings/", views.RatingListView.as_view(), name="services_ratings"),
        path("services/ratings/<int:pk>/", views.RatingView.as_view(), name="services_rating"),
        path("services/ratings/<int:pk>/<slug:action>/", views.RatingView.as_view(),
             name="services_rating_action"),
        path("services/ratings/cases/<int:pk>/", views.CaseView.as_view(),
             name="services_rating_case"),
        path("services/ratings/cases/<int:pk>/<slug:action>/", views.CaseView.as_view(),
             name="services_rating_case_action"),
        path("services/ratings/statistics/", views.StatisticsView.as_view(),
             name="services_rating_statistics"),
        path("services/ratings/statistics/export/", views.StatisticsExportView.as_view(),
             name="services_rating_statistics_export"),
    ]


@hooks.register(SERVICES_MENU_HOOK)
def register_ratings_menu_item():
    return PermissionMenuItem(_("好差评"), reverse("services_ratings"), name="services-ratings",
                              icon_name="pick", order=500, shown_to=may_use_ratings_admin)
