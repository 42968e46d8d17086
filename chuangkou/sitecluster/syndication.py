"""The feed routes of columns and site homes (RSS 2.0 and Atom 1.0 订阅).

Kept apart from ``models.py`` (which only mixes this in) and free of model imports, so that
``models.py`` can import it; the feeds themselves are built in ``feeds.py``.
"""

from wagtail.contrib.routable_page.models import RoutablePageMixin, path

RSS_ROUTE = "rss_feed"
ATOM_ROUTE = "atom_feed"


class FeedRoutesMixin(RoutablePageMixin):
    """Adds ``<page url>feed/rss/`` and ``<page url>feed/atom/`` to a page type.

    The page itself is still served by the page class's own ``serve`` (not by
    ``RoutablePageMixin``'s index route), so behaviour added to ``serve`` further down the
    class hierarchy (caching, headers) keeps applying to column and home pages.
    """

    def route(self, request, path_components):
        if not path_components:
            # Skip RoutablePageMixin's index route: Page.route → serve(request) → BasePage.
            return super(RoutablePageMixin, self).route(request, path_components)
        return super().route(request, path_components)

    def serve_preview(self, request, mode_name):
        return super(RoutablePageMixin, self).serve_preview(request, mode_name)

    @path("feed/rss/", name=RSS_ROUTE)
    def rss_feed(self, request):
        from .feeds import rss_response

        return rss_response(self, request)

    @path("feed/atom/", name=ATOM_ROUTE)
    def atom_feed(self, request):
        from .feeds import atom_response

        return atom_response(self, request)

    @classmethod
    def feed_suffix(cls, route_name: str) -> str:
        """The part of a feed's URL after its page's URL, e.g. ``feed/rss/``."""
        return cls.get_resolver().reverse(route_name)
