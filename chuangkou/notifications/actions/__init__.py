"""Every state change of the notifications domain, one module per part; import them from here
(``notifications.actions``)."""

from .deliveries import *  # noqa: F403
from .messages import *  # noqa: F403
from .recipients import *  # noqa: F403
from .templates import *  # noqa: F403
