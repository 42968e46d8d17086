"""Notifications models; import them from here (``notifications.models``)."""

from .deliveries import *  # noqa: F403
from .templates import *  # noqa: F403
