"""Every state change of the accounts domain, one module per part; import from here
(``accounts.actions``)."""

from .codes import *  # noqa: F403
from .enterprises import *  # noqa: F403
from .identity import *  # noqa: F403
from .oidc import *  # noqa: F403
from .personal_data import *  # noqa: F403
from .registration import *  # noqa: F403
from .reminders import *  # noqa: F403
from .sessions import *  # noqa: F403
from .subscriptions import *  # noqa: F403
