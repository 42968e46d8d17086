"""Accounts models, one module per part; import them from here (``accounts.models``)."""

from .citizens import *  # noqa: F403
from .enterprises import *  # noqa: F403
from .reminders import *  # noqa: F403
from .subscriptions import *  # noqa: F403
