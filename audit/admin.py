"""The audit trail is read on Taskboard's own pages (audit:changes, audit:events, audit:lockouts), in Chinese and
for administrators only; auditlog's English LogEntry admin is taken out of the admin so there is one place to read
it. (django-axes' admin is switched off in settings: AXES_ENABLE_ADMIN.)"""

from auditlog.models import LogEntry
from django.contrib import admin

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
