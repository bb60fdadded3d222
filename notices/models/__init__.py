from .ladder import Rung
from .office import Circular, Criticism, Urging
from .outbox import Delivery, Notice

__all__ = ["Circular", "Criticism", "Delivery", "Notice", "Rung", "Urging"]
