"""事项管理 in the Wagtail admin (item managers, ``services.manage_service_items``): the list of
the items a manager keeps, each with the guide elements it lacks (缺要素); the create and edit
page (one form for the item, four row formsets for its lists, working without JavaScript:
three empty rows each and a 删除 checkbox per row); publish and unpublish.

Views parse input and call ``actions.catalogue``; a ``ServicesRuleViolation`` comes back on the
field and row it names, a ``PermissionDenied`` as 403. A manager of another body gets 403 for
an item, whether it exists or not being no secret (the catalogue is public).
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from chuangkou.core.admin_views import forbidden

from .. import actions, queries
from ..choices import OnlineDepth
from ..completeness import missing_elements
from ..exceptions import ServicesRuleViolation
from ..forms import catalogue as catalogue_forms
from ..models import ServiceItem
from ..queries.access import managed_bodies, may_manage_body

__all__ = ["ItemCreateView", "ItemEditView", "ItemListView", "ItemPublishView",
           "may_manage_items"]

PER_PAGE = 50


def may_manage_items(user) -> bool:
    return managed_bodies(user).exists()


class ManagerRequiredMixin:
    """Item managers of at least one body; anyone else signed in gets 403."""

    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_items(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class ItemMixin(ManagerRequiredMixin):
    """A view of one item; 404 if there is none, 403 unless the user manages its body."""

    def dispatch(self, request, *args, **kwargs):
        self.item = (ServiceItem.objects.select_related("implementing_body")
                     .filter(pk=kwargs["pk"]).first())
        if self.item is None:
            raise Http404
        if not may_manage_body(request.user, self.item.implementing_body):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


# --------------------------------------------------------------------------- the list


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ItemListView(ManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/catalogue/list.html"
    page_title = gettext_lazy("事项管理")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        bodies = list(managed_bodies(self.request.user))
        by_pk = {str(body.pk): body for body in bodies}
        body = by_pk.get(get.get("body", ""))
        try:
            depth = int(get.get("depth", ""))
        except ValueError:
            depth = None
        if depth not in OnlineDepth.values:
            depth = None
        rows = queries.items_for_manager(
            self.request.user, body=body, published=_yes_no(get.get("published", "")),
            depth=depth, incomplete=_yes_no(get.get("incomplete", "")),
            q=get.get("q", "")[:100])
        page = Paginator(rows, PER_PAGE).get_page(get.get("p"))
        query = get.copy()
        query.pop("p", None)
        context.update(
            page=page, bodies=bodies, depths=OnlineDepth.choices,
            selected={"body": get.get("body", ""), "published": get.get("published", ""),
                      "depth": get.get("depth", ""), "incomplete": get.get("incomplete", ""),
                      "q": get.get("q", "")[:100]},
            query_without_page=f"{query.urlencode()}&" if query else "",
        )
        return context


# --------------------------------------------------------------------------- create and edit


class ItemFormView(ManagerRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "services/admin/catalogue/form.html"
    item: ServiceItem | None = None

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items,
                {"url": reverse("services_items"), "label": _("事项管理")},
                {"url": "", "label": self.item.name if self.item else self.page_title}]

    def bodies(self):
        return managed_bodies(self.request.user).select_related("collection")

    def build(self, data=None):
        bodies = self.bodies()
        initial = (catalogue_forms.ServiceItemForm.initial_for(self.item) if self.item
                   else {"implementing_body": bodies.first()})
        form = catalogue_forms.ServiceItemForm(data=data, initial=initial, bodies=bodies)
        formsets = catalogue_forms.item_formsets(
            data=data, item=self.item, documents=catalogue_forms.documents_for(bodies))
        return form, formsets

    def get(self, request, *args, **kwargs):
        form, formsets = self.build()
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))

    def post(self, request, *args, **kwargs):
        form, formsets = self.build(request.POST)
        # Every formset is validated (not only up to the first invalid one) so that every
        # error shows at once.
        results = [form.is_valid(), *(formset.is_valid() for formset in formsets.values())]
        valid = all(results)
        if valid:
            data = catalogue_forms.item_data(
                form, formsets, is_published=bool(self.item and self.item.is_published))
            try:
                item, created = actions.save_service_item(data=data, actor=request.user,
                                                          item=self.item)
            except ServicesRuleViolation as violation:
                catalogue_forms.apply_item_violation(form, formsets, violation)
            except PermissionDenied:
                return forbidden(request)
            else:
                messages.success(request, _("已新增事项“%(name)s”。") % {"name": item.name}
                                 if created else
                                 _("已保存事项“%(name)s”。") % {"name": item.name})
                return redirect("services_item_edit", pk=item.pk)
        messages.error(request, _("未能保存，请修改标出的问题。"))
        response = self.render_to_response(self.get_context_data(form=form, formsets=formsets))
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        context["missing"] = (missing_elements(self.item, materials=self.item.materials.all(),
                                               steps=self.item.steps.all())
                              if self.item else [])
        return context


class ItemCreateView(ItemFormView):
    page_title = gettext_lazy("新增事项")


class ItemEditView(ItemMixin, ItemFormView):
    page_title = gettext_lazy("修改事项")

    def get_page_subtitle(self):
        return self.item.name


# --------------------------------------------------------------------------- publishing


class ItemPublishView(ItemMixin, View):
    """POST only: 公开 or 撤下 the item; the outcome comes back as a message on its page."""

    publish = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = (actions.publish_service_item if self.publish
                  else actions.unpublish_service_item)
        try:
            with transaction.atomic():
                action(item=self.item, actor=request.user)
        except ServicesRuleViolation as violation:
            for message_list in violation.errors.values():
                for message in message_list:
                    messages.error(request, message)
        except PermissionDenied:
            return forbidden(request)
        else:
            messages.success(request, _("已公开事项“%(name)s”。") % {"name": self.item.name}
                             if self.publish else
                             _("已撤下事项“%(name)s”。") % {"name": self.item.name})
        return redirect(reverse("services_item_edit", args=[self.item.pk]))
