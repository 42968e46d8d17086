from django.db.models import Q
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.pages.bulk_actions import delete as page_delete
from wagtail.admin.views.pages.bulk_actions import move as page_move
from wagtail.admin.views.pages.bulk_actions import publish as page_publish
from wagtail.admin.views.pages.bulk_actions import unpublish as page_unpublish
from wagtail.documents.views.bulk_actions import add_tags as document_add_tags
from wagtail.documents.views.bulk_actions import add_to_collection as document_add_to_collection
from wagtail.documents.views.bulk_actions import delete as document_delete
from wagtail.images.views.bulk_actions import add_tags as image_add_tags
from wagtail.images.views.bulk_actions import add_to_collection as image_add_to_collection
from wagtail.images.views.bulk_actions import delete as image_delete
from wagtail.permissions import page_permission_policy, register_permission_policy

from .admin_views import (
    AuditEventViewSet,
    VisibleDocumentsAdminAPIViewSet,
    VisibleImagesAdminAPIViewSet,
    audit_permission_policy,
    refusing_unseen_items,
)
from .models import AuditEvent
from .viewsets import WorkingDayOverrideViewSet

# Registered before any viewset asks the registry, which would otherwise fix a fallback policy
# that lets superusers and anyone with add/change/delete in.
register_permission_policy(AuditEvent, audit_permission_policy)

# A later order replaces Wagtail's own registrations, which run at the default order 0.
AFTER_WAGTAIL = 1


@hooks.register("register_admin_viewset")
def register_audit_event_viewset():
    return AuditEventViewSet("audit_events")


@hooks.register("register_admin_viewset")
def register_working_calendar_viewset():
    return WorkingDayOverrideViewSet("working_calendar")


for action_class in (
    page_delete.DeleteBulkAction, page_move.MoveBulkAction, page_publish.PublishBulkAction,
    page_unpublish.UnpublishBulkAction,
    document_add_tags.AddTagsBulkAction, document_add_to_collection.AddToCollectionBulkAction,
    document_delete.DeleteBulkAction,
    image_add_tags.AddTagsBulkAction, image_add_to_collection.AddToCollectionBulkAction,
    image_delete.DeleteBulkAction,
):
    hooks.register("register_bulk_action", refusing_unseen_items(action_class),
                   order=AFTER_WAGTAIL)


@hooks.register("construct_admin_api", order=AFTER_WAGTAIL)
def limit_admin_api_to_visible_media(router):
    router.register_endpoint("documents", VisibleDocumentsAdminAPIViewSet)
    router.register_endpoint("images", VisibleImagesAdminAPIViewSet)


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page_to_move, destination):
    # Wagtail checks this only when the move is carried out; its confirmation page would
    # otherwise show any page to anyone with admin access.
    if not page_to_move.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)
    return None


@hooks.register("construct_page_chooser_queryset")
def choose_among_live_or_own_pages(pages, request):
    # Linking to another body's published page is part of the job; its drafts are not
    # another body's business.
    explorable = page_permission_policy.explorable_instances(request.user)
    return pages.filter(Q(live=True) | Q(pk__in=explorable.values("pk")))
