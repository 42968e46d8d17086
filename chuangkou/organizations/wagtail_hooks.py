from wagtail import hooks

from .viewsets import OrganizationViewSetGroup


@hooks.register("register_admin_viewset")
def register_organization_viewsets():
    return OrganizationViewSetGroup()
