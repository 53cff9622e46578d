"""The search change log: a durable, ordered log between the database and every node's index."""

from django.db import models


class PendingChange(models.Model):
    """One entry of the change log: document ``document_id`` changed. Written in the same
    transaction as the change, under the audit chain's append lock, so ids grow in commit order
    (indexer.py relies on that). Each index applies the entries after its cursor, in id order;
    an entry is deleted only once every live index has applied it (indexer.prune_log)."""

    document_id = models.BigIntegerField(db_index=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "索引变更日志"

    def __str__(self) -> str:
        return f"#{self.id} document {self.document_id} @ {self.queued_at:%Y-%m-%d %H:%M:%S}"


class IndexCursor(models.Model):
    """How far one search index (one node's GONGKAI_SEARCH_DIR) has applied the change log.
    ``ready`` is false while the index is being rebuilt: its ``applied_id`` then only pins the
    log entries the rebuild may still need. An index whose heartbeat is older than
    settings.GONGKAI_SEARCH_INDEX_TTL is not live: pruning deletes its cursor, and it rebuilds
    itself from the database when it starts again."""

    index_id = models.CharField(max_length=64, unique=True)
    applied_id = models.BigIntegerField(default=0)
    ready = models.BooleanField(default=False)
    heartbeat = models.DateTimeField()
    location = models.CharField(max_length=500, blank=True)  # host:directory, for operators

    class Meta:
        verbose_name = "检索索引游标"

    def __str__(self) -> str:
        return f"{self.location or self.index_id} @ {self.applied_id}"
