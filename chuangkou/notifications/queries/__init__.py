"""Reads of the notifications domain, one module per part; import them from here
(``notifications.queries``)."""

from .access import *  # noqa: F403
from .deliveries import *  # noqa: F403
from .messages import *  # noqa: F403
from .templates import *  # noqa: F403
