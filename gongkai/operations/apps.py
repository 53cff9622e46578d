from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """The operations layer: composition above the domain apps (demo loader, serve, scan,
    restore, purge of personal data). Nothing but this app and the CLI imports it."""

    name = "gongkai.operations"
    verbose_name = "运维"
