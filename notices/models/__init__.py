from .ladder import Rung
from .office import Circular, Criticism, Urging
from .outbox import Delivery, Notice, NoticePreference, NoticeSource

__all__ = ["Circular", "Criticism", "Delivery", "Notice", "NoticePreference", "NoticeSource", "Rung", "Urging"]
