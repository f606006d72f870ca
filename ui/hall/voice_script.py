"""What the board says for a call, as a list of recorded segments.

"Mời công dân có số A012 đến quầy số 3" becomes chime, "mời công dân có số", "a", "mười",
"hai", "đến quầy số", "ba". Numbers are read the Vietnamese way (mười một, hai mươi mốt,
một trăm linh năm), so the segment set stays small: digits and a few joining words.
"""

from __future__ import annotations

# Segment file name (without .wav) → the Vietnamese text it says.
SEGMENT_TEXT: dict[str, str] = {
    "intro": "Mời công dân có số",
    "to_counter": "đến quầy số",
    **{f"d{d}": w for d, w in enumerate(["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"])},
    "muoi": "mười",  # ten
    "muoi_tens": "mươi",  # -ty
    "mot_ones": "mốt",  # one after -ty
    "lam": "lăm",  # five after ten/-ty
    "tram": "trăm",  # hundred
    "linh": "linh",  # "and" before a lone digit after a hundred
    # Letter names as Vietnamese say them on a ticket.
    "letter_a": "a", "letter_b": "bê", "letter_c": "xê", "letter_d": "dê", "letter_e": "e",
    "letter_g": "giê", "letter_h": "hát", "letter_k": "ca", "letter_l": "e lờ", "letter_m": "em mờ",
    "letter_n": "en nờ", "letter_p": "pê", "letter_q": "quy", "letter_r": "e rờ", "letter_s": "ét xì",
    "letter_t": "tê", "letter_u": "u", "letter_v": "vê", "letter_x": "ích xì", "letter_y": "i dài",
    "letter_i": "i", "letter_o": "o", "letter_f": "ép", "letter_j": "gi", "letter_w": "vê kép",
    "letter_z": "dét",
}


def number_segments(n: int) -> list[str]:
    """Segments reading 0 ≤ n ≤ 999 in Vietnamese; larger numbers are read digit by digit."""
    if n < 0 or n > 999:
        return [f"d{c}" for c in str(abs(n))]
    if n < 10:
        return [f"d{n}"]
    if n < 100:
        tens, ones = divmod(n, 10)
        out = ["muoi"] if tens == 1 else [f"d{tens}", "muoi_tens"]
        if ones == 1 and tens > 1:
            out.append("mot_ones")
        elif ones == 5:
            out.append("lam")
        elif ones:
            out.append(f"d{ones}")
        return out
    hundreds, rest = divmod(n, 100)
    out = [f"d{hundreds}", "tram"]
    if rest == 0:
        return out
    if rest < 10:
        return [*out, "linh", f"d{rest}"]
    return out + number_segments(rest)


def label_segments(label: str) -> list[str]:
    """A ticket label such as "A012": its letters, then its number read as a number."""
    letters = "".join(c for c in label if c.isalpha())
    digits = "".join(c for c in label if c.isdigit())
    out = [f"letter_{c.lower()}" for c in letters if f"letter_{c.lower()}" in SEGMENT_TEXT]
    if digits:
        out += number_segments(int(digits))
    return out


def call_segments(label: str, counter_no: int) -> list[str]:
    return ["chime", "intro", *label_segments(label), "to_counter", *number_segments(counter_no)]
