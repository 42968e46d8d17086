"""Public URLs of guides."""

urlpatterns: list = []
