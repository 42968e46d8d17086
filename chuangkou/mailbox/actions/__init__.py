"""Mailbox actions, one module per part; import them from here (``mailbox.actions``)."""

from .citizens import *  # noqa: F403
from .configuration import *  # noqa: F403
from .exchange import *  # noqa: F403
from .handling import *  # noqa: F403
from .intake import *  # noqa: F403
from .publication import *  # noqa: F403
from .ratings import *  # noqa: F403
