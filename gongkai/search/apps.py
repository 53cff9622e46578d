import os

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    verbose_name = "全文检索"

    def ready(self):
        # Every catalogue change is logged for the index, in the change's own transaction.
        from gongkai.catalogue.changes import (  # AppConfig.ready()
            DOCUMENTS_CHANGED,
            DOCUMENTS_IMPORT_STARTING,
        )

        from .changelog import on_documents_changed, on_import_starting  # AppConfig.ready(): models

        DOCUMENTS_CHANGED.connect(on_documents_changed, dispatch_uid="gongkai.search.changelog")
        # A large import's documents are indexed while it writes them (importfeed.py).
        DOCUMENTS_IMPORT_STARTING.connect(on_import_starting, dispatch_uid="gongkai.search.importfeed")
        # `gongkai serve` sets this for its gunicorn workers (each follows the change log).
        if os.environ.get("GONGKAI_SEARCH_FOLLOW") == "1":
            from . import follower  # AppConfig.ready(): only gunicorn workers follow

            follower.start()
