from django import template
from django.utils.html import format_html_join
from wagtail import hooks

from ..queries import menu_columns, site_for_page

register = template.Library()


@register.simple_tag
def site_navigation(cluster_site):
    """The main navigation of a site: its home and the columns shown in menus."""
    if cluster_site is None:
        return []
    return list(menu_columns(cluster_site.home_page))


@register.simple_tag
def cluster_site_of(page):
    return site_for_page(page) if page is not None else None


@register.filter
def breadcrumb_ancestors(page):
    """Ancestors shown in the breadcrumb: from the portal (depth 2) down to the parent."""
    return page.get_ancestors().filter(depth__gte=2)


@register.simple_tag(takes_context=True)
def article_fragments(context, page):
    """HTML that other apps add to an article page, each through a function registered under
    the Wagtail hook ``article_fragments`` taking ``request`` and ``page`` and returning
    safe HTML or ""; sitecluster does not know the apps that add them."""
    request = context.get("request")
    fragments = (fn(request=request, page=page) for fn in hooks.get_hooks("article_fragments"))
    return format_html_join("", "{}", ((fragment,) for fragment in fragments if fragment))


@register.inclusion_tag("sitecluster/includes/public_entries.html")
def public_entries():
    """The citizen entry points other apps offer (办事, 写信, 依申请公开…), each registered under
    the Wagtail hook ``public_entries`` as a function returning ``(order, title, url,
    description)``; shown on home pages, so sitecluster does not know the apps that add them."""
    entries = sorted((fn() for fn in hooks.get_hooks("public_entries")), key=lambda entry: entry[0])
    return {"entries": [{"title": title, "url": url, "description": description}
                        for _order, title, url, description in entries]}
