from django.urls import path

from .views import SearchView, SuggestionView

urlpatterns = [
    path("", SearchView.as_view(), name="search"),
    path("suggestions/", SuggestionView.as_view(), name="search_suggestions"),
]
