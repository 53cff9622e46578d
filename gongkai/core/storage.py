"""File storage for uploads: Django's, minus the partial file a failed write leaves behind."""

import os
from contextlib import suppress

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage


class FileSystemStorage(DjangoFileSystemStorage):
    """STORAGES["default"]. Django's storage leaves the bytes written so far when a write fails
    (a full disk: ENOSPC); here the partial file is removed before the error goes on, so a
    refused upload leaves nothing on disk (the transaction around it rolls back too)."""

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed:
                with suppress(OSError):
                    os.remove(path)
            raise
