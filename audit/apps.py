from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import receivers, registry

        registry.register_models()
        # After axes' own receivers (axes is listed before audit): a failed login is already marked when locked out.
        user_logged_in.connect(receivers.logged_in, dispatch_uid="audit.record_login")
        user_login_failed.connect(receivers.login_failed, dispatch_uid="audit.record_failed_login")
