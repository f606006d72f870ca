"""Putting a backup back: refused while anything runs on the store; the current file is kept aside."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from counter_app.backups import sealed
from counter_app.backups.service import BackupFailed, BackupFile, CopyFacts, check_copy, remove_with_companions
from counter_app.store.db import head_revision
from counter_app.store.private import private_dir, private_file, with_companions
from counter_app.store.runlock import try_exclusive

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class RestoreReport:
    backup: BackupFile
    facts: CopyFacts
    kept_aside: Path | None  # where the store that was replaced now is (None: there was none)


def restore(backup: Path, key: bytes, db_path: Path, *, at: datetime) -> RestoreReport:
    """Replace the store at `db_path` with the backup, once it is unsealed and checked."""
    info = BackupFile.of(backup)
    private_dir(db_path.parent)  # a new PC: the store's folder may not exist yet
    lock = try_exclusive(db_path)
    if lock is None:
        raise BackupFailed(f"store {db_path} is open in another process",
                           "Phần mềm một cửa vẫn đang chạy trên kho dữ liệu này (máy chủ văn phòng, màn hình quầy, "
                           "kiosk hoặc bảng gọi số). Hãy tắt hết rồi khôi phục lại.")
    with lock:
        scratch = private_file(db_path.with_name(f"{db_path.name}.restore-{os.getpid()}.tmp"))
        try:
            with scratch.open("wb") as out:
                sealed.unseal(backup, out, key)
                out.flush()
                os.fsync(out.fileno())
            facts = check_copy(scratch, chain=info.schema == head_revision())  # an older one upgrades at open
            kept = _set_aside(db_path, at)
            os.replace(scratch, db_path)
        finally:
            remove_with_companions(scratch)
    log.info("restored %s from %s (%d events, %d dossiers); the store replaced is %s",
             db_path, backup.name, facts.events, facts.dossiers, kept or "none")
    return RestoreReport(backup=info, facts=facts, kept_aside=kept)


def _set_aside(db_path: Path, at: datetime) -> Path | None:
    """Rename the store and its WAL together, so the old file can still be opened as it was."""
    if not db_path.exists():
        return None
    aside = db_path.with_name(f"{db_path.name}.before-restore-{at:%Y%m%d-%H%M%S}")
    try:
        for source, target in zip(with_companions(db_path), with_companions(aside), strict=True):
            if source.exists():
                os.replace(source, target)
    except PermissionError as exc:  # Windows: another program still has the store open
        raise BackupFailed(f"cannot move {db_path} aside: {exc.strerror}",
                           "Không đổi tên được kho dữ liệu hiện tại: phần mềm một cửa vẫn đang mở nó. "
                           "Hãy tắt hết rồi khôi phục lại.") from None
    return aside
