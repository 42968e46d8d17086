from django import template

from ..feeds import advertised_feeds

register = template.Library()


@register.inclusion_tag("sitecluster/includes/feed_links.html", takes_context=True)
def feed_links(context):
    """``<link rel="alternate">`` tags for the feeds of the page's column and site."""
    return {
        "feeds": advertised_feeds(
            page=context.get("page"),
            cluster_site=context.get("cluster_site"),
            request=context.get("request"),
        )
    }
