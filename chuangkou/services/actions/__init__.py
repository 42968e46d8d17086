"""Every state change of the services app, one module per part; import them from here."""

from .applications import *  # noqa: F403
from .bookings import *  # noqa: F403
from .catalogue import *  # noqa: F403
from .citizens import *  # noqa: F403
from .customisation import *  # noqa: F403
from .guides import *  # noqa: F403
from .integration import *  # noqa: F403
from .ratings import *  # noqa: F403
