from .ladder import LadderMark, Rung
from .office import Circular, Criticism, Urging
from .outbox import Delivery, Notice, NoticePreference, NoticeSource

__all__ = [
    "Circular",
    "Criticism",
    "Delivery",
    "LadderMark",
    "Notice",
    "NoticePreference",
    "NoticeSource",
    "Rung",
    "Urging",
]
