"""Local development: DEBUG on, everything else as in base."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# The demo has no nginx in front: let the application serve uploaded media itself.
SERVE_MEDIA = True
