"""Public pages of the service catalogue (事项目录 and 办事指南): the 网上办事 landing page, the
item list with its filters and pretty URLs (by body, theme, channel), an item's full guide and
its printable version.

Listings change when staff publish, which does not move the page cache's clock, so they are
revalidated every time (``uncached``).
"""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangkou.accounts import queries as account_queries
from chuangkou.organizations.models import Body

from .. import queries
from ..choices import DeliveryMethod, ServiceItemKind, ThemeAudience
from ..forms.catalogue import ItemFilterForm
from ..models import ServiceTheme, UserChannel
from .common import public_context, uncached

__all__ = ["body_items", "channel_items", "item_detail", "item_list", "item_print",
           "landing", "theme_items"]

ITEMS_PER_PAGE = 20


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    """网上办事: 个人办事 and 法人办事 themes, user channels and bodies, each with its count."""
    themes = queries.themes_with_counts()
    context = public_context(
        services_section="landing",
        person_themes=[theme for theme in themes if theme.audience == ThemeAudience.PERSON],
        enterprise_themes=[theme for theme in themes
                           if theme.audience == ThemeAudience.ENTERPRISE],
        channels=queries.channels_with_counts(),
        bodies=queries.bodies_with_published_items(),
    )
    return uncached(render(request, "services/public/landing.html", context))


def _page(request: HttpRequest, items):
    """The requested page of ``items``: a page number that is not a number shows the first
    page; one past the end shows an empty page (with a message) rather than a 404."""
    paginator = Paginator(items, ITEMS_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1), False
    except PageNotAnInteger:
        return paginator.page(1), False
    except EmptyPage:
        return None, True


def _list(request: HttpRequest, *, heading: str, fixed: dict | None = None,
          intro: str = "") -> HttpResponse:
    fixed = fixed or {}
    form = ItemFilterForm(request.GET or None, bodies=Body.objects.filter(
        pk__in=queries.published_items().values("implementing_body")).order_by("path"),
        themes=list(ServiceTheme.objects.order_by("audience", "sort_order", "pk")),
        channels=list(UserChannel.objects.order_by("sort_order", "pk")))
    filters = {**form.filters(), **fixed}
    for name in ("body", "theme", "channel"):
        if name in fixed and name in form.fields:
            form.fields.pop(name)  # fixed by the URL, not offered again
    items = queries.published_items(**{name: value for name, value in filters.items()
                                       if value not in (None, "") or name == "q"})
    page, past_end = _page(request, items)
    query = request.GET.copy()
    query.pop("page", None)
    context = public_context(
        services_section="items", heading=heading, intro=intro, form=form, page_obj=page,
        past_end=past_end, item_count=items.count() if page is None else page.paginator.count,
        query_without_page=f"{query.urlencode()}&" if query else "",
        item_kinds=dict(ServiceItemKind.choices),
    )
    return uncached(render(request, "services/public/item_list.html", context))


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    return _list(request, heading=_("办事指南"))


@require_GET
def body_items(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body, slug=slug)
    return _list(request, heading=_("%(body)s办事事项") % {"body": body.name},
                 fixed={"body": body})


@require_GET
def theme_items(request: HttpRequest, audience: str, slug: str) -> HttpResponse:
    theme = get_object_or_404(ServiceTheme, audience=audience, slug=slug)
    heading = _("%(audience)s · %(theme)s") % {"audience": theme.get_audience_display(),
                                               "theme": theme.name}
    return _list(request, heading=heading, fixed={"theme": theme}, intro=theme.description)


@require_GET
def channel_items(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(UserChannel, slug=slug)
    return _list(request, heading=_("%(channel)s频道") % {"channel": channel.name},
                 fixed={"channel": channel}, intro=channel.description)


def _item_or_404(code: str):
    item = queries.item_for_public(code)
    if item is None:
        raise Http404
    return item


def _delivery_labels(item) -> list[str]:
    labels = dict(DeliveryMethod.choices)
    return [str(labels.get(method, method)) for method in item.delivery_methods or ()]


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An item's whole 办事指南 (regulations.md §6), with 在线申请, 预约, 打印 and 办件查询."""
    item = _item_or_404(code)
    citizen = account_queries.is_citizen(request.user)
    context = public_context(services_section="items", item=item,
                             delivery_labels=_delivery_labels(item), is_citizen=citizen,
                             pinned=citizen and queries.is_pinned(request.user, item))
    return uncached(render(request, "services/public/item_detail.html", context))


@require_GET
def item_print(request: HttpRequest, code: str) -> HttpResponse:
    """The guide on A4, with the date it was printed and the address to find it again."""
    item = _item_or_404(code)
    context = public_context(item=item, delivery_labels=_delivery_labels(item),
                             printed_on=timezone.localdate(),
                             item_url=request.build_absolute_uri(
                                 reverse("services:item", args=[item.code])))
    return uncached(render(request, "services/public/item_print.html", context))
