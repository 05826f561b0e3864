"""A Django Channels layer on Apache Pulsar. See :mod:`channels_pulsar.core`."""

from channels_pulsar._transport import PulsarLayerError
from channels_pulsar.core import PulsarChannelLayer

__all__ = ["PulsarChannelLayer", "PulsarLayerError"]
__version__ = "0.1.0"
