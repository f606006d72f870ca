"""Printer problems, each with an English log line and a Vietnamese message naming the printer."""

from __future__ import annotations

from counter_app.errors import OfficeError


class PrintFault(OfficeError):
    """The printer could not print now (unreachable, no paper, lid open, offline): the job waits and retries."""


def unreachable(name: str, where: str, detail: str) -> PrintFault:
    return PrintFault(f"printer {name} unreachable at {where}: {detail}",
                      f"Không kết nối được máy in “{name}” ({where}): kiểm tra dây cáp, nguồn điện và mạng.")


def paper_out(name: str) -> PrintFault:
    return PrintFault(f"printer {name}: paper out", f"Máy in “{name}” hết giấy: hãy thay cuộn giấy mới.")


def cover_open(name: str) -> PrintFault:
    return PrintFault(f"printer {name}: cover open", f"Máy in “{name}” đang mở nắp: hãy đóng nắp máy in.")


def offline(name: str) -> PrintFault:
    return PrintFault(f"printer {name}: offline or in error",
                      f"Máy in “{name}” đang báo lỗi hoặc tạm ngừng: kiểm tra đèn báo trên máy in.")


def bad_setup(name: str, detail_en: str, detail_vi: str) -> PrintFault:
    return PrintFault(f"printer {name}: {detail_en}", f"Máy in “{name}”: {detail_vi}")
