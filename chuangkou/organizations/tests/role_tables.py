"""Who an admin route table tries: anonymous, every role in the bodies the routes are about,
and in the other bodies the roles that concern the routes (the domain's own roles and the
cluster-wide system administrator and auditor).

A role outside the domain (an editor on the mailbox screens, a letter handler on the services
screens) is refused every route whatever its body, so trying it in the routes' own bodies
covers it; trying it in every other body again only made the suite slower."""

from .. import permissions
from ..choices import Role


def everyone(bodies: tuple[str, ...], *, every_role_in: tuple[str, ...],
             domain_roles) -> list:
    concerned = {*domain_roles, *permissions.CLUSTER_ROLES}
    return [None, *((body, role) for body in bodies for role in Role.values
                    if body in every_role_in or role in concerned)]


def who_id(who) -> str:
    return "anonymous" if who is None else f"{who[0]}-{who[1]}"
