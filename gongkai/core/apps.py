from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    verbose_name = "基础"

    def ready(self):
        from django.db.models.signals import post_save

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .models import AuditEvent  # AppConfig.ready(): models load only now
        from .pagecache import on_audit_event  # AppConfig.ready(): it imports the models

        # Every audited change invalidates the cached public pages (core/pagecache.py).
        post_save.connect(on_audit_event, sender=AuditEvent, dispatch_uid="gongkai.core.pagecache")
