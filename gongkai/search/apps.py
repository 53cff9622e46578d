import os

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    verbose_name = "全文检索"

    def ready(self):
        # `gongkai serve` sets this for its gunicorn workers (each follows the change log).
        if os.environ.get("GONGKAI_SEARCH_FOLLOW") == "1":
            from . import follower

            follower.start()
