from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    verbose_name = "门户网站"

    def ready(self) -> None:
        from .directory import connect_signals  # AppConfig.ready(): models are loaded only now

        connect_signals()  # the cached directory tree follows the agencies (directory.py)
