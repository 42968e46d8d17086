"""Accounts reads, one module per part; import them from here (``accounts.queries``)."""

from .citizens import *  # noqa: F403
from .enterprises import *  # noqa: F403
from .homepage import *  # noqa: F403
from .oidc import *  # noqa: F403
from .personal_data import *  # noqa: F403
from .subscriptions import *  # noqa: F403
