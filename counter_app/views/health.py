"""The office store's health as the status bar shows it: the newest good backup and the disk's free space."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

LOW_SPACE_BYTES = 1_000_000_000  # below this the status bar warns


class StoreHealth(BaseModel):
    backups_set_up: bool  # a backup key and folders are set, so the office backs itself up at closing
    last_backup_at: datetime | None  # the newest good backup in any folder
    backup_overdue: bool  # more than two working days without one
    last_error_vi: str  # why the last attempt failed ("" if it did not)
    free_bytes: int  # on the disk holding the store
    low_space: bool
