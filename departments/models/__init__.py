from .accounts import PasswordChangeRequired, PasswordReset
from .units import Membership, Unit

__all__ = ["Membership", "PasswordChangeRequired", "PasswordReset", "Unit"]
