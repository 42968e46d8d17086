"""Disclosure queries, one module per part; import them from here (``disclosure.queries``)."""

from .applications import *  # noqa: F403
from .catalogue import *  # noqa: F403
from .citizens import *  # noqa: F403
from .reports import *  # noqa: F403
