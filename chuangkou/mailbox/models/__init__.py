"""Mailbox models, one module per part; import them from here (``mailbox.models``)."""

from .handling import *  # noqa: F403
from .letters import *  # noqa: F403
from .ratings import *  # noqa: F403
from .settings import *  # noqa: F403
