"""What a dossier contributes to the search index (shared by the search service and migrations)."""

from __future__ import annotations

from counter_app.rules.textfold import fold


def dossier_search_text(
    *, code: str, applicant_name: str, representative: str, id_number: str, phone: str, address: str
) -> str:
    """Folded text of the searchable fields; the code also as one run of characters.

    The tokenizer splits `000.17.22.H56-261122-0001` into `000 17 22 h56 261122 0001`, so the
    date part and the running number are found by themselves; the code as a whole is found
    by prefix through the code index instead.
    """
    parts = [code, applicant_name, representative, id_number, phone, address]
    return fold(" ".join(p for p in parts if p))
