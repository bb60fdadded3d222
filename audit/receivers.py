"""Logins into the audit trail (connected in AuditConfig.ready)."""

from . import services


def logged_in(sender, request, user, **kwargs):
    services.record_login(request, user)


def login_failed(sender, credentials, request=None, **kwargs):
    services.record_failed_login(request, credentials)
