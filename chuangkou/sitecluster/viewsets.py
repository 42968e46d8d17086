"""Admin viewsets of the site cluster: 站点设置 (sites' identity, with the object-level limit
that a site administrator reaches only the sites of the bodies where they hold that role) and
the page types' viewsets."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.pages.workflow import (
    CollectWorkflowActionDataView,
    ConfirmWorkflowCancellationView,
    PreviewRevisionForTaskView,
    WorkflowActionView,
)
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from chuangkou.core.admin_views import ActionFormViewMixin, ActionViewSetMixin
from chuangkou.organizations.choices import Role
from chuangkou.organizations.queries import bodies_of, has_cluster_role

from .actions import IDENTITY_FIELDS, create_cluster_site, update_site_identity
from .admin_forms import SiteCreateForm, SiteIdentityForm
from .models import ClusterSite


class ClusterSitePermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the role table, narrowed per site.

    System administrators and superusers reach every site; anyone else reaches only the sites
    whose owner body is one where they are site administrator (站点管理员).
    """

    def reaches_every_site(self, user) -> bool:
        return user.is_active and (
            user.is_superuser or has_cluster_role(user, Role.SYSTEM_ADMINISTRATOR)
        )

    def own_bodies(self, user):
        return bodies_of(user, roles=(Role.SITE_ADMINISTRATOR,))

    def instances_user_has_any_permission_for(self, user, actions):
        sites = self.model._default_manager.all()
        if not self.user_has_any_permission(user, actions):
            return sites.none()
        if self.reaches_every_site(user):
            return sites
        return sites.filter(owner_body__in=self.own_bodies(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not self.user_has_any_permission(user, actions):
            return False
        return self.reaches_every_site(user) or (
            self.own_bodies(user).filter(pk=instance.owner_body_id).exists()
        )

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions).filter(
            Q(is_superuser=True)
            | Q(memberships__role=Role.SYSTEM_ADMINISTRATOR)
            | Q(memberships__role=Role.SITE_ADMINISTRATOR,
                memberships__body_id=instance.owner_body_id)
        ).distinct()


cluster_site_permission_policy = ClusterSitePermissionPolicy(ClusterSite)


class ClusterSiteIndexView(generic.IndexView):
    page_title = _("站点设置")

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, ["change", "view"]
        ).select_related("owner_body")

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "name", label=_("网站名称"), get_url=self.get_edit_url,
            ),
            Column("identification_code", label=_("网站标识码")),
            Column("owner_body", label=_("主管机构")),
            Column("hostname", label=_("独立域名")),
            BooleanColumn("is_portal", label=_("门户网站")),
        ]


class ClusterSiteCreateView(ActionFormViewMixin, generic.CreateView):
    page_title = _("新建站点")
    success_message = _("已新建站点“%(object)s”。")
    error_message = _("站点未能保存，请检查下面标出的问题。")

    def save_instance(self):
        data = self.form.cleaned_data
        return create_cluster_site(
            owner_body=data["owner_body"], slug=data["slug"], parent_page=data["parent_page"],
            is_portal=data["is_portal"], introduction=data["introduction"],
            actor=self.request.user, **{name: data[name] for name in IDENTITY_FIELDS},
        )


class ClusterSiteEditView(ActionFormViewMixin, generic.EditView):
    initial_fields = IDENTITY_FIELDS
    success_message = _("已保存站点“%(object)s”的设置。")
    error_message = _("站点设置未能保存，请检查下面标出的问题。")

    def get_object(self, queryset=None):
        site = super().get_object(queryset)
        # The generic edit view checks the model permission only; the site itself must be
        # one this user administers before anything about it is shown or changed.
        if not self.user_has_permission_for_instance("change", site):
            raise PermissionDenied
        return site

    def save_instance(self):
        changes = self.changed_values(self.form)
        if not changes:
            return self.object
        return update_site_identity(site=self.object, actor=self.request.user, **changes)


class ClusterSiteViewSet(ActionViewSetMixin, ModelViewSet):
    model = ClusterSite
    icon = "site"
    menu_label = _("站点设置")
    menu_name = "cluster-sites"
    menu_order = 7900
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = ClusterSiteIndexView
    add_view_class = ClusterSiteCreateView
    edit_view_class = ClusterSiteEditView

    def get_form_class(self, for_update=False):
        return SiteIdentityForm if for_update else SiteCreateForm


def takes_part_in_workflow(user, page) -> bool:
    """True if ``user`` may edit ``page`` or act on the workflow task it is waiting in."""
    if page.permissions_for_user(user).can_edit():
        return True
    task_state = page.current_workflow_task_state
    return bool(task_state and task_state.task.specific.get_actions(page, user))


class WorkflowParticipantRequiredMixin:
    """Wagtail's workflow views tell anyone who asks that a page 'is not currently awaiting
    moderation', naming its latest draft title, before checking any permission; the check
    comes first here."""

    def dispatch(self, request, *args, **kwargs):
        if not takes_part_in_workflow(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ClusterWorkflowActionView(WorkflowParticipantRequiredMixin, WorkflowActionView):
    pass


class ClusterCollectWorkflowActionDataView(WorkflowParticipantRequiredMixin,
                                           CollectWorkflowActionDataView):
    pass


class ClusterConfirmWorkflowCancellationView(WorkflowParticipantRequiredMixin,
                                             ConfirmWorkflowCancellationView):
    pass


class ClusterPreviewRevisionForTaskView(WorkflowParticipantRequiredMixin,
                                        PreviewRevisionForTaskView):
    pass


class ClusterPageViewSet(PageViewSet):
    """The admin views of the cluster's page types: Wagtail's own, with the workflow views
    checking permission before they say anything about the page.

    An app that needs its own viewset for one of these page types should subclass this one,
    or the page type loses these checks.
    """

    workflow_action_view_class = ClusterWorkflowActionView
    collect_workflow_action_data_view_class = ClusterCollectWorkflowActionDataView
    confirm_workflow_cancellation_view_class = ClusterConfirmWorkflowCancellationView
    workflow_preview_view_class = ClusterPreviewRevisionForTaskView
