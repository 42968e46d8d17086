from rest_framework.routers import SimpleRouter

from .views import ArticleViewSet, ColumnViewSet, SiteViewSet, SubmissionViewSet

router = SimpleRouter()
router.register("sites", SiteViewSet, basename="site")
router.register("columns", ColumnViewSet, basename="column")
router.register("articles", ArticleViewSet, basename="article")
router.register("submissions", SubmissionViewSet, basename="submission")

urlpatterns = router.urls
