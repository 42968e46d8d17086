"""The bodies the services demo needs and its staff accounts, made the way the portal demo
(``sitecluster.demo``) makes them: bodies through ``organizations.actions`` keyed on slug,
accounts keyed on username with the shared published demo password."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from chuangkou.organizations import actions as organization_actions
from chuangkou.organizations.choices import Role
from chuangkou.organizations.models import Body
from chuangkou.sitecluster.demo import (
    ACCOUNTS,
    BODIES,
    DEMO_PASSWORD,
    OFFICE_HOURS,
    _display_width,
    _pad,
    sign_in_url,
)

__all__ = ["SERVICE_ACCOUNTS", "SERVICE_ROLES", "ensure_bodies", "ensure_service_accounts",
           "services_accounts_table"]

SERVICE_ROLES = (Role.SERVICE_ITEM_MANAGER, Role.SERVICE_HANDLER, Role.SERVICE_SUPERVISOR)
# The portal demo lists every demo account; these are the ones with a services role.
SERVICE_ACCOUNTS = tuple(account for account in ACCOUNTS if account.role in SERVICE_ROLES)


def ensure_bodies() -> tuple[dict[str, Body], int]:
    """Every body of the demo city (the services demo needs the district bureau and the
    community too), created when missing. Returns the bodies by slug and how many were new."""
    bodies, created = {}, 0
    existing = {body.slug: body for body in Body.objects.filter(
        slug__in=[spec.slug for spec in BODIES])}
    for spec in BODIES:
        body = existing.get(spec.slug)
        if body is None:
            body = organization_actions.create_body(
                parent=bodies[spec.parent] if spec.parent else None,
                name=spec.name, short_name=spec.short_name, slug=spec.slug, kind=spec.kind,
                credit_code=spec.credit_code, division_code=spec.division_code,
                address=spec.address, phone=spec.phone, office_hours=OFFICE_HOURS,
            )
            created += 1
        bodies[spec.slug] = body
    return bodies, created


def ensure_service_accounts(bodies: dict[str, Body]) -> int:
    """The services staff accounts with their role in their body; returns how many were new."""
    user_model = get_user_model()
    existing = {user.username: user for user in user_model.objects.filter(
        username__in=[account.username for account in SERVICE_ACCOUNTS])}
    password_hash, created = None, 0
    for account in SERVICE_ACCOUNTS:
        user = existing.get(account.username)
        if user is None:
            # One hash serves every demo account: they share a published password.
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = user_model.objects.create(
                username=account.username, first_name=account.first_name,
                last_name=account.last_name, email=f"{account.username}@example.gov.cn",
                password=password_hash)
            created += 1
        organization_actions.add_membership(user=user, body=bodies[account.body],
                                            role=account.role)
    return created


def services_accounts_table() -> str:
    """The services demo accounts as a plain-text table (``load_services_demo --list-accounts``)."""
    body_names = {spec.slug: spec.name for spec in BODIES}
    rows = [("用户名", "密码", "机构", "角色")] + [
        (account.username, DEMO_PASSWORD, body_names.get(account.body, "无"),
         str(Role(account.role).label))
        for account in SERVICE_ACCOUNTS
    ]
    widths = [max(_display_width(row[column]) for row in rows) for column in range(4)]
    lines = ["  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    heading = f"  网上办事演示账号（登录地址：{sign_in_url()}）"
    return "\n".join([heading, "", *("  " + line for line in lines)])
