"""VietQR: the interbank payment QR every Vietnamese banking app reads (issue 22).

The EMVCo merchant-presented format as NAPAS profiles it: fields as ID, two-digit length, value; the
beneficiary under ID 38 (NAPAS's GUID A000000727, the bank's BIN and the account, the service "transfer to
an account"); the amount in đồng; the dossier code as the transfer's message; and a CRC-16/CCITT-FALSE of
everything before it, ID 63.
"""

from __future__ import annotations

import re

NAPAS_GUID = "A000000727"
TO_ACCOUNT = "QRIBFTTA"
DONG = "704"
_BIN = re.compile(r"\d{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_MESSAGE = re.compile(r"[0-9A-Za-z .\-]{1,25}")


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, start 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def payload(*, bank_bin: str, account: str, amount: int, message: str) -> str:
    """The text of a dynamic VietQR asking `amount` đồng to `account` at the bank `bank_bin`, with `message`."""
    if not _BIN.fullmatch(bank_bin):
        raise ValueError("a bank BIN is six digits")
    if not _ACCOUNT.fullmatch(account):
        raise ValueError("an account number is 1 to 19 letters or digits")
    if not _MESSAGE.fullmatch(message):
        raise ValueError("a transfer message is 1 to 25 plain letters, digits, spaces, dots or dashes")
    if amount <= 0:
        raise ValueError("a payment QR asks a positive amount")
    beneficiary = _field("00", bank_bin) + _field("01", account)
    merchant = _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", TO_ACCOUNT)
    body = (_field("00", "01") + _field("01", "12") + _field("38", merchant) + _field("53", DONG)
            + _field("54", str(amount)) + _field("58", "VN") + _field("62", _field("08", message)) + "6304")
    return body + f"{crc16(body.encode('ascii')):04X}"
