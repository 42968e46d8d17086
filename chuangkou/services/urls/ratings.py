"""Public URLs of ratings."""

urlpatterns: list = []
