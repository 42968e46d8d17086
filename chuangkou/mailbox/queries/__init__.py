"""Mailbox reads, one module per part; import them from here (``mailbox.queries``)."""

from .citizens import *  # noqa: F403
from .letters import *  # noqa: F403
from .statistics import *  # noqa: F403
from .worklists import *  # noqa: F403
