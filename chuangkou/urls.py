from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from chuangkou.sitecluster import sitemaps

urlpatterns = []
if getattr(settings, "SERVE_MEDIA", False):
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("chuangkou.api.urls")),
    # Per host: an index of the sites served there, one sitemap per site (split past 50,000).
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    re_path(r"^sitemaps/(?P<code>[0-9a-z]{10})(?:-(?P<part>[1-9][0-9]{0,5}))?\.xml$",
            sitemaps.site_sitemap, name="site_sitemap"),
    path("", include("chuangkou.core.urls")),
    path("", include("chuangkou.disclosure.urls")),
    path("", include("chuangkou.mailbox.urls")),
    path("", include("chuangkou.search.urls")),
    path("banshi/", include("chuangkou.services.urls")),
    path("yonghu/messages/", include("chuangkou.notifications.urls")),
    path("yonghu/", include("chuangkou.accounts.urls")),
    path("open311/v2/", include("chuangkou.mailbox.open311.urls")),
    path("", include("chuangkou.sitecluster.urls")),
    path("", include(wagtail_urls)),
]

handler404 = "chuangkou.sitecluster.views.page_not_found"
