"""The search change log: a transactional outbox between the database and the index."""

from django.db import models


class PendingChange(models.Model):
    """A document whose index entry is stale. Written in the same transaction as the document
    change and deleted only after the index commit, so a process that dies in between leaves
    the row for the next sync (`gongkai reindex --pending`, or any later write)."""

    document_id = models.BigIntegerField(unique=True)
    queued_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "待更新索引"

    def __str__(self) -> str:
        return f"document {self.document_id} @ {self.queued_at:%Y-%m-%d %H:%M:%S}"
