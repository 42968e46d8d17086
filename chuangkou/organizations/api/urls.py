from rest_framework.routers import SimpleRouter

from .views import BodyViewSet

router = SimpleRouter()
router.register("bodies", BodyViewSet, basename="body")

urlpatterns = router.urls
