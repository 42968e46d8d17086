"""The services admin route tables: see ``organizations.tests.role_tables``."""

from functools import partial

from chuangkou.organizations.choices import Role
from chuangkou.organizations.tests import role_tables

SERVICES_ROLES = (Role.SERVICE_ITEM_MANAGER, Role.SERVICE_HANDLER, Role.SERVICE_SUPERVISOR)

everyone = partial(role_tables.everyone, domain_roles=SERVICES_ROLES)
who_id = role_tables.who_id
