"""Public URLs of applications."""

urlpatterns: list = []
