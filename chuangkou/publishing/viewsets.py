"""Admin screens for the content-check rules: the lexicon (敏感词库) and the expression rules
(严重表述错误/常见错别字). Model permissions from the role table decide who gets in
(confidentiality reviewers and system administrators); every change goes through ``actions``.
"""

import django_filters
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from chuangkou.core.admin_views import ActionFormViewMixin, ActionViewSetMixin

from .actions import (
    add_expression_rule,
    add_lexicon_entry,
    deactivate_expression_rule,
    deactivate_lexicon_entry,
    update_expression_rule,
    update_lexicon_entry,
)
from .admin_forms import (
    ExpressionRuleEditForm,
    ExpressionRuleForm,
    LexiconEntryEditForm,
    LexiconEntryForm,
)
from .choices import ExpressionRuleKind, LexiconCategory, Severity
from .models import ExpressionRule, LexiconEntry
from .queries import expression_rules, lexicon_entries

ACTIVE_CHOICES = ((True, _("启用")), (False, _("停用")))


class LexiconEntryFilterSet(WagtailFilterSet):
    category = django_filters.ChoiceFilter(label=_("分类"), choices=LexiconCategory.choices,
                                           empty_label=_("全部"))
    severity = django_filters.ChoiceFilter(label=_("级别"), choices=Severity.choices,
                                           empty_label=_("全部"))
    is_active = django_filters.ChoiceFilter(label=_("状态"), choices=ACTIVE_CHOICES,
                                            empty_label=_("全部"))

    class Meta:
        model = LexiconEntry
        fields = ["category", "severity", "is_active"]


class LexiconEntryIndexView(generic.IndexView):
    page_title = _("敏感词库")
    default_ordering = "term"
    filterset_class = LexiconEntryFilterSet
    search_fields = ["term", "note"]

    def get_base_queryset(self):
        return lexicon_entries()

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "term", label=_("词条"), get_url=self.get_edit_url, sort_key="term"),
            Column("get_category_display", label=_("分类"), sort_key="category"),
            Column("get_severity_display", label=_("级别"), sort_key="severity"),
            BooleanColumn("is_active", label=_("启用")),
            Column("source", label=_("来源")),
            DateColumn("updated_at", label=_("修改时间"), sort_key="updated_at"),
        ]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("publishing.add_lexiconentry"):
            buttons.append(HeaderButton(_("导入词库"), url=reverse("publishing_lexicon_import"),
                                        icon_name="upload"))
        return buttons


class LexiconEntryCreateView(ActionFormViewMixin, generic.CreateView):
    page_title = _("新增敏感词")
    success_message = _("已新增词条“%(object)s”。")
    error_message = _("词条未能保存，请检查下面标出的问题。")

    def save_instance(self):
        data = self.form.cleaned_data
        return add_lexicon_entry(term=data["term"], category=data["category"],
                                 severity=data["severity"], note=data["note"],
                                 source=data["source"], actor=self.request.user)


class LexiconEntryEditView(ActionFormViewMixin, generic.EditView):
    initial_fields = ("term", "category", "severity", "note", "source", "is_active")
    success_message = _("已保存词条“%(object)s”。")
    error_message = _("词条未能保存，请检查下面标出的问题。")

    def save_instance(self):
        changes = self.changed_values(self.form)
        if not changes:
            return self.object
        return update_lexicon_entry(entry=self.object, actor=self.request.user, **changes)


class LexiconEntryDeactivateView(generic.DeleteView):
    page_title = _("停用词条")
    success_message = _("已停用词条“%(object)s”。")

    @property
    def confirmation_message(self):
        return _("确定停用词条“%(term)s”吗？停用后不再检查该词，记录保留，可在编辑中重新启用。") % {
            "term": self.object.term}

    def delete_action(self):
        deactivate_lexicon_entry(entry=self.object, actor=self.request.user)


class LexiconEntryViewSet(ActionViewSetMixin, ModelViewSet):
    model = LexiconEntry
    icon = "warning"
    menu_label = _("敏感词库")
    menu_name = "lexicon"
    add_to_reference_index = False
    enabled_views = ("add", "edit", "delete")
    index_view_class = LexiconEntryIndexView
    add_view_class = LexiconEntryCreateView
    edit_view_class = LexiconEntryEditView
    delete_view_class = LexiconEntryDeactivateView
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return LexiconEntryEditForm if for_update else LexiconEntryForm


class ExpressionRuleFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ExpressionRuleKind.choices,
                                       empty_label=_("全部"))
    severity = django_filters.ChoiceFilter(label=_("级别"), choices=Severity.choices,
                                           empty_label=_("全部"))
    is_active = django_filters.ChoiceFilter(label=_("状态"), choices=ACTIVE_CHOICES,
                                            empty_label=_("全部"))

    class Meta:
        model = ExpressionRule
        fields = ["kind", "severity", "is_active"]


class ExpressionRuleIndexView(generic.IndexView):
    page_title = _("表述规则")
    default_ordering = "wrong_text"
    filterset_class = ExpressionRuleFilterSet
    search_fields = ["wrong_text", "correction", "note"]

    def get_base_queryset(self):
        return expression_rules()

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "wrong_text", label=_("错误表述"), get_url=self.get_edit_url,
                sort_key="wrong_text"),
            Column("correction", label=_("正确表述")),
            Column("get_kind_display", label=_("类型"), sort_key="kind"),
            Column("get_severity_display", label=_("级别"), sort_key="severity"),
            BooleanColumn("is_regex", label=_("正则")),
            BooleanColumn("is_active", label=_("启用")),
        ]


class ExpressionRuleCreateView(ActionFormViewMixin, generic.CreateView):
    page_title = _("新增表述规则")
    success_message = _("已新增表述规则“%(object)s”。")
    error_message = _("规则未能保存，请检查下面标出的问题。")

    def save_instance(self):
        data = self.form.cleaned_data
        return add_expression_rule(
            kind=data["kind"], wrong_text=data["wrong_text"], correction=data["correction"],
            severity=data["severity"], is_regex=data["is_regex"], note=data["note"],
            source=data["source"], actor=self.request.user)


class ExpressionRuleEditView(ActionFormViewMixin, generic.EditView):
    initial_fields = ("kind", "wrong_text", "is_regex", "correction", "severity", "note",
                      "source", "is_active")
    success_message = _("已保存表述规则“%(object)s”。")
    error_message = _("规则未能保存，请检查下面标出的问题。")

    def save_instance(self):
        changes = self.changed_values(self.form)
        if not changes:
            return self.object
        return update_expression_rule(rule=self.object, actor=self.request.user, **changes)


class ExpressionRuleDeactivateView(generic.DeleteView):
    page_title = _("停用表述规则")
    success_message = _("已停用表述规则“%(object)s”。")

    @property
    def confirmation_message(self):
        return _("确定停用规则“%(rule)s”吗？记录保留，可在编辑中重新启用。") % {"rule": self.object}

    def delete_action(self):
        deactivate_expression_rule(rule=self.object, actor=self.request.user)


class ExpressionRuleViewSet(ActionViewSetMixin, ModelViewSet):
    model = ExpressionRule
    icon = "edit"
    menu_label = _("表述规则")
    menu_name = "expression-rules"
    add_to_reference_index = False
    enabled_views = ("add", "edit", "delete")
    index_view_class = ExpressionRuleIndexView
    add_view_class = ExpressionRuleCreateView
    edit_view_class = ExpressionRuleEditView
    delete_view_class = ExpressionRuleDeactivateView
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return ExpressionRuleEditForm if for_update else ExpressionRuleForm


class ContentCheckViewSetGroup(ModelViewSetGroup):
    menu_label = _("内容检查")
    menu_name = "content-checks"
    menu_icon = "warning"
    menu_order = 7900
    items = (LexiconEntryViewSet("lexicon_entries"),
             ExpressionRuleViewSet("expression_rules"))
