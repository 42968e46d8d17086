"""Disclosure actions, one module per part; import them from here (``disclosure.actions``)."""

from .applications import *  # noqa: F403
from .catalogue import *  # noqa: F403
from .citizens import *  # noqa: F403
from .reports import *  # noqa: F403
