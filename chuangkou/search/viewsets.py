"""Admin screens of the search (搜索管理): synonyms (同义词), the government terms the
segmenter keeps whole (政务词库) and best bets (推荐结果), with the statistics (检索统计) and
the index status (索引状态) beside them in one "搜索" menu.

Model permissions from the role table decide who gets in (system administrators); anyone else
signed in to the admin gets a real 403. Every change goes through ``actions``, which audit it
and make every process notice it at its next search.
"""

from __future__ import annotations

import django_filters
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from chuangkou.core.admin_menu import PermissionMenuItem
from chuangkou.core.admin_views import ActionFormViewMixin, ActionViewSetMixin

from . import actions
from .admin_forms import (
    REBUILD_NOTE,
    BestBetForm,
    GovernmentTermEditForm,
    GovernmentTermForm,
    SynonymForm,
)
from .admin_views import (
    INDEX_STATUS_PERMISSION,
    STATISTICS_PERMISSION,
    IndexStatusView,
    RealForbiddenMixin,
    StatisticsView,
)
from .models import BestBet, GovernmentTerm, Synonym

__all__ = [
    "BestBetViewSet",
    "GovernmentTermViewSet",
    "IndexStatusViewSet",
    "SearchViewSetGroup",
    "StatisticsViewSet",
    "SynonymViewSet",
]

ACTIVE_CHOICES = ((True, _("启用")), (False, _("停用")))


# -- 同义词 ------------------------------------------------------------------------------------


class SynonymFilterSet(WagtailFilterSet):
    is_active = django_filters.ChoiceFilter(label=_("状态"), choices=ACTIVE_CHOICES,
                                            empty_label=_("全部"))

    class Meta:
        model = Synonym
        fields = ["is_active"]


class SynonymIndexView(RealForbiddenMixin, generic.IndexView):
    page_title = _("同义词")
    default_ordering = "terms"
    filterset_class = SynonymFilterSet
    search_fields = ["terms", "note"]
    search_backend_name = None  # a few hundred rows: matched in the database

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "terms", label=_("同义词组"), get_url=self.get_edit_url, sort_key="terms"),
            Column("note", label=_("备注")),
            BooleanColumn("is_active", label=_("启用"), sort_key="is_active"),
            DateColumn("updated_at", label=_("更新时间"), sort_key="updated_at"),
        ]


class SynonymCreateView(RealForbiddenMixin, ActionFormViewMixin, generic.CreateView):
    page_title = _("新增同义词")
    success_message = _("已新增同义词“%(object)s”，下一次检索即生效。")
    error_message = _("同义词未能保存，请检查下面标出的问题。")

    def save_instance(self):
        data = self.form.cleaned_data
        return actions.create_synonym(terms=data["terms"], note=data["note"],
                                      is_active=data["is_active"], actor=self.request.user)


class SynonymEditView(RealForbiddenMixin, ActionFormViewMixin, generic.EditView):
    initial_fields = ("terms", "note", "is_active")
    success_message = _("已保存同义词“%(object)s”。")
    error_message = _("同义词未能保存，请检查下面标出的问题。")

    def save_instance(self):
        if not self.form.has_changed():
            return self.object
        data = self.form.cleaned_data
        return actions.update_synonym(synonym=self.object, terms=data["terms"],
                                      note=data["note"], is_active=data["is_active"],
                                      actor=self.request.user)


class SynonymDeleteView(RealForbiddenMixin, generic.DeleteView):
    page_title = _("删除同义词")
    success_message = _("已删除同义词“%(object)s”。")

    @property
    def confirmation_message(self):
        return _("确定删除同义词“%(terms)s”吗？删除后检索时不再互相扩展；"
                 "如只想暂时不用，请在编辑中停用。") % {"terms": self.object.terms}

    def delete_action(self):
        actions.delete_synonym(synonym=self.object, actor=self.request.user)


class SynonymViewSet(ActionViewSetMixin, ModelViewSet):
    model = Synonym
    icon = "resubmit"
    menu_label = _("同义词")
    menu_name = "search-synonyms"
    url_prefix = "search/synonyms"
    add_to_reference_index = False
    enabled_views = ("add", "edit", "delete")
    index_view_class = SynonymIndexView
    add_view_class = SynonymCreateView
    edit_view_class = SynonymEditView
    delete_view_class = SynonymDeleteView
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return SynonymForm


# -- 政务词库 ----------------------------------------------------------------------------------


class GovernmentTermIndexView(RealForbiddenMixin, generic.IndexView):
    page_title = _("政务词库")
    default_ordering = "term"
    search_fields = ["term", "note"]
    search_backend_name = None
    template_name = "search/admin/government_term_index.html"

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "term", label=_("词语"), get_url=self.get_edit_url, sort_key="term"),
            Column("note", label=_("备注")),
            DateColumn("created_at", label=_("添加时间"), sort_key="created_at"),
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["rebuild_note"] = REBUILD_NOTE
        return context


class GovernmentTermCreateView(RealForbiddenMixin, ActionFormViewMixin, generic.CreateView):
    page_title = _("新增政务词语")
    success_message = _("已将“%(object)s”加入政务词库。")
    error_message = _("词语未能保存，请检查下面标出的问题。")

    def get_success_message(self, instance):
        return f"{super().get_success_message(instance)}{REBUILD_NOTE}"

    def save_instance(self):
        data = self.form.cleaned_data
        return actions.set_government_term(term=data["term"], note=data["note"],
                                           actor=self.request.user)


class GovernmentTermEditView(RealForbiddenMixin, ActionFormViewMixin, generic.EditView):
    initial_fields = ("term", "note")
    success_message = _("已保存“%(object)s”的备注。")
    error_message = _("词语未能保存，请检查下面标出的问题。")

    def save_instance(self):
        if not self.form.has_changed():
            return self.object
        return actions.set_government_term(term=self.object.term,
                                           note=self.form.cleaned_data["note"],
                                           actor=self.request.user)


class GovernmentTermDeleteView(RealForbiddenMixin, generic.DeleteView):
    page_title = _("删除政务词语")
    success_message = _("已从政务词库删除“%(object)s”。")

    @property
    def confirmation_message(self):
        return _("确定从政务词库删除“%(term)s”吗？新的检索立即不再把它作为一个词；"
                 "已索引的文档要在重建索引（manage.py rebuild_search_index）后才按新方式分词。") % {
            "term": self.object.term}

    def delete_action(self):
        actions.delete_government_term(term=self.object, actor=self.request.user)


class GovernmentTermViewSet(ActionViewSetMixin, ModelViewSet):
    model = GovernmentTerm
    icon = "tag"
    menu_label = _("政务词库")
    menu_name = "search-government-terms"
    url_prefix = "search/terms"
    add_to_reference_index = False
    enabled_views = ("add", "edit", "delete")
    index_view_class = GovernmentTermIndexView
    add_view_class = GovernmentTermCreateView
    edit_view_class = GovernmentTermEditView
    delete_view_class = GovernmentTermDeleteView
    list_per_page = 100

    def get_form_class(self, for_update=False):
        return GovernmentTermEditForm if for_update else GovernmentTermForm


# -- 推荐结果 ----------------------------------------------------------------------------------


def best_bet_target(bet: BestBet) -> str:
    """Where the best bet leads: the chosen page (said when it is not published, since the
    result page then leaves it out) or the address typed in."""
    if bet.page_id is None:
        return bet.url
    if not bet.page.live:
        return str(_("页面：%(title)s（未发布，暂不显示）") % {"title": bet.page.title})
    return str(_("页面：%(title)s") % {"title": bet.page.title})


def best_bet_queries(bet: BestBet) -> str:
    return "、".join(bet.queries.splitlines())


class BestBetFilterSet(WagtailFilterSet):
    is_active = django_filters.ChoiceFilter(label=_("状态"), choices=ACTIVE_CHOICES,
                                            empty_label=_("全部"))

    class Meta:
        model = BestBet
        fields = ["is_active"]


class BestBetIndexView(RealForbiddenMixin, generic.IndexView):
    page_title = _("推荐结果")
    default_ordering = "sort_order"
    filterset_class = BestBetFilterSet
    search_fields = ["queries", "title", "url", "description"]
    search_backend_name = None

    def get_base_queryset(self):
        return BestBet.objects.select_related("page")

    def order_queryset(self, queryset):
        # Rows of the same order keep a fixed sequence, so pages of the listing never overlap.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "pk")

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "title", label=_("标题"), accessor=str, get_url=self.get_edit_url,
                sort_key="title"),
            Column("queries", label=_("触发词"), accessor=best_bet_queries),
            Column("target", label=_("指向"), accessor=best_bet_target),
            Column("sort_order", label=_("排序"), sort_key="sort_order"),
            BooleanColumn("is_active", label=_("启用"), sort_key="is_active"),
            DateColumn("updated_at", label=_("更新时间"), sort_key="updated_at"),
        ]


class BestBetFormViewMixin(ActionFormViewMixin):
    def best_bet_values(self) -> dict:
        data = self.form.cleaned_data
        return {"queries": data["queries"], "page": data["page"], "url": data["url"],
                "title": data["title"], "description": data["description"],
                "sort_order": data["sort_order"], "is_active": data["is_active"]}


class BestBetCreateView(RealForbiddenMixin, BestBetFormViewMixin, generic.CreateView):
    page_title = _("新增推荐结果")
    success_message = _("已新增推荐结果“%(object)s”。")
    error_message = _("推荐结果未能保存，请检查下面标出的问题。")

    def save_instance(self):
        return actions.create_best_bet(**self.best_bet_values(), actor=self.request.user)


class BestBetEditView(RealForbiddenMixin, BestBetFormViewMixin, generic.EditView):
    initial_fields = ("queries", "page", "url", "title", "description", "sort_order",
                      "is_active")
    success_message = _("已保存推荐结果“%(object)s”。")
    error_message = _("推荐结果未能保存，请检查下面标出的问题。")

    def get_queryset(self):
        return BestBet.objects.select_related("page")

    def save_instance(self):
        if not self.form.has_changed():
            return self.object
        return actions.update_best_bet(best_bet=self.object, **self.best_bet_values(),
                                       actor=self.request.user)


class BestBetDeleteView(RealForbiddenMixin, generic.DeleteView):
    page_title = _("删除推荐结果")
    success_message = _("已删除推荐结果“%(object)s”。")

    @property
    def confirmation_message(self):
        return _("确定删除推荐结果“%(bet)s”吗？如只想暂时不显示，请在编辑中停用。") % {
            "bet": self.object}

    def delete_action(self):
        actions.delete_best_bet(best_bet=self.object, actor=self.request.user)


class BestBetViewSet(ActionViewSetMixin, ModelViewSet):
    model = BestBet
    icon = "pick"
    menu_label = _("推荐结果")
    menu_name = "search-best-bets"
    url_prefix = "search/best-bets"
    add_to_reference_index = False
    enabled_views = ("add", "edit", "delete")
    index_view_class = BestBetIndexView
    add_view_class = BestBetCreateView
    edit_view_class = BestBetEditView
    delete_view_class = BestBetDeleteView
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return BestBetForm


# -- the two read-only screens ----------------------------------------------------------------


class ReportViewSet(ViewSet):
    """One read-only screen in the "搜索" menu, shown only to users its view lets in."""

    view_class = None
    permission = ""

    def may_open(self, user) -> bool:
        return bool(user.is_active and user.has_perm(self.permission))

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name="index")]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(self.menu_label, self.menu_url, name=self.menu_name,
                                  icon_name=self.menu_icon,
                                  order=self.get_menu_item_order(order),
                                  shown_to=self.may_open)


class StatisticsViewSet(ReportViewSet):
    view_class = StatisticsView
    permission = STATISTICS_PERMISSION
    icon = "table"
    menu_label = _("检索统计")
    menu_name = "search-statistics"
    url_prefix = "search/statistics"


class IndexStatusViewSet(ReportViewSet):
    view_class = IndexStatusView
    permission = INDEX_STATUS_PERMISSION
    icon = "info-circle"
    menu_label = _("索引状态")
    menu_name = "search-index-status"
    url_prefix = "search/index-status"


class SearchViewSetGroup(ViewSetGroup):
    menu_label = _("搜索")
    menu_name = "search"
    menu_icon = "search"
    menu_order = 7950
    items = (
        SynonymViewSet("search_synonyms"),
        GovernmentTermViewSet("search_terms"),
        BestBetViewSet("search_best_bets"),
        StatisticsViewSet("search_statistics"),
        IndexStatusViewSet("search_index_status"),
    )
