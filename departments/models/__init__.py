from .units import Membership, Unit

__all__ = ["Membership", "Unit"]
