"""Local development: DEBUG on, everything else as in base."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# The demo has no nginx in front: let the application serve uploaded media itself.
SERVE_MEDIA = True

# The demo has no SMS gateway: the logging provider's messages (one-time codes included) are
# shown on the console, like the console e-mail backend's.
LOGGING = {**LOGGING, "loggers": {  # noqa: F405
    "chuangkou.notifications.sms": {"handlers": ["console"], "level": "INFO", "propagate": False},
}}
