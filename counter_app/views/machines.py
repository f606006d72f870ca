"""The machines of an office's LAN as the interface shows them: their kinds, and one as registered."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel


class MachineKind(StrEnum):
    COUNTER = "counter"
    KIOSK = "kiosk"
    BOARD = "board"
    RATING = "rating"  # the citizen's rating screen (a tablet) facing one counter

    @property
    def label_vi(self) -> str:
        return {"counter": "Máy quầy", "kiosk": "Máy lấy số", "board": "Bảng gọi số",
                "rating": "Màn hình đánh giá"}[self.value]

    @property
    def at_a_counter(self) -> bool:
        return self in (MachineKind.COUNTER, MachineKind.RATING)


class MachineView(BaseModel):
    name: str
    kind: MachineKind
    counter_no: int | None
    created_at: datetime
    revoked_at: datetime | None


class MachineSetup(BaseModel):
    """A machine just registered, with what its PC needs to reach the hub: the token is shown this once."""

    machine: MachineView
    token: str
    hub_url: str = ""  # "" when this hub does not listen on the LAN (a one-PC office)
    hub_fingerprint: str = ""

    @property
    def scan_text(self) -> str:
        """One line a barcode scanner types into `counter-app join` on the new PC (the QR's content)."""
        return f"counter-app:join hub_url={self.hub_url} hub_fingerprint={self.hub_fingerprint} token={self.token}"
