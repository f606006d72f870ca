"""The shape of `Store.peek`, for the checks that run on every hub request (no SQLAlchemy needed to name it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Peek = Callable[[str, tuple[Any, ...]], tuple[Any, ...] | None]  # (plain SQL, parameters) -> the first row
