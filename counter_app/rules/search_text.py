"""What a dossier contributes to the search index (shared by the search service and migrations)."""

from __future__ import annotations

import re

from counter_app.rules.textfold import fold

# A dossier code anywhere in what was scanned or pasted (the receipt's QR is a link ending in it).
_CODE_IN = re.compile(r"(?<![0-9A-Za-z.])([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*-\d{6}-\d{4})(?![0-9])")
_ID_FIELD = re.compile(r"\d{9}|\d{12}")


def dossier_search_text(
    *, code: str, applicant_name: str, representative: str, id_number: str, phone: str, address: str,
    representative_id: str = "", subject_name: str = "", subject_id_number: str = "",
) -> str:
    """Folded text of the searchable fields; the code also as one run of characters.

    The tokenizer splits `000.17.22.H56-261122-0001` into `000 17 22 h56 261122 0001`, so the
    date part and the running number are found by themselves; the code as a whole is found
    by prefix through the code index instead.
    """
    parts = [code, applicant_name, representative, id_number, phone, address, representative_id, subject_name,
             subject_id_number]
    return fold(" ".join(p for p in parts if p))


def dossier_search_columns(
    *, code: str, applicant_name: str, representative: str, id_number: str, phone: str, address: str,
    representative_id: str = "", subject_name: str = "", subject_id_number: str = "",
) -> tuple[str, str]:
    """The two columns of the search index, folded: the people's names, then everything else.

    Names are a column of their own so a search ranks a name above an address ("nguyen van long" finds
    Nguyễn Văn Long before someone living on Nguyễn Du). ID and phone numbers are also indexed reversed,
    as `r` + digits, so their last digits are found as a prefix ("5678" → `r8765`*).
    """
    names = fold(" ".join(p for p in (applicant_name, representative, subject_name) if p))
    numbers = [n for n in (id_number, phone, representative_id, subject_id_number) if n and n.isdigit()]
    rest = fold(" ".join(p for p in (code, id_number, phone, address, representative_id, subject_id_number) if p))
    return names, " ".join([rest, *(f"r{n[::-1]}" for n in numbers)])


def search_query(raw: str) -> str:
    """What the clerk put in the search box, as the search should read it.

    A scanned ID card's QR (`001090012345|012345678|Nguyễn Văn Đức|…`) searches by its ID number; a
    scanned receipt QR (a link with the code in it) by the dossier code; anything else as typed.
    """
    text = raw.strip()
    if "|" in text:
        first = text.split("|", 1)[0].strip()
        if _ID_FIELD.fullmatch(first):
            return first
    found = _CODE_IN.search(text)
    if found and found.group(1) != text and ("/" in text or "=" in text):
        return found.group(1).upper()
    return text
