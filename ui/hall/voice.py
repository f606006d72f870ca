"""Joining recorded segments into one announcement (WAV bytes); no Qt here.

Segments come from the office's own folder when it has a file of that name, else from the
bundled set (ui/assets/voice, made by scripts/make_voice.py). Any PCM WAV is accepted: it is
mixed to mono, converted to 16-bit 22,050 Hz, and its leading and trailing silence trimmed so
the words follow each other naturally.
"""

from __future__ import annotations

import io
import logging
import wave
from array import array
from pathlib import Path

log = logging.getLogger(__name__)

BUNDLED = Path(__file__).resolve().parents[1] / "assets" / "voice"  # ui/assets, packaged data
RATE = 22_050
GAP_S = 0.08  # between words
PAUSE_S = 0.30  # after the chime and between the two halves of the sentence
SILENCE = 600  # |sample| below this counts as silence when trimming


class VoiceError(Exception):
    """A segment is missing or is not a readable PCM WAV."""


class SegmentLibrary:
    def __init__(self, office_dir: Path | None = None, bundled_dir: Path = BUNDLED) -> None:
        self.office_dir = office_dir
        self.bundled_dir = bundled_dir
        self._cache: dict[str, array] = {}

    def path(self, name: str) -> Path:
        if self.office_dir is not None and (own := self.office_dir / f"{name}.wav").is_file():
            return own
        bundled = self.bundled_dir / f"{name}.wav"
        if not bundled.is_file():
            raise VoiceError(f"voice segment {name!r} not found in {self.bundled_dir}")
        return bundled

    def samples(self, name: str) -> array:
        if name not in self._cache:
            self._cache[name] = trim(read_mono16(self.path(name)))
        return self._cache[name]

    def join(self, names: list[str]) -> bytes:
        """One WAV of the named segments in order, with short gaps."""
        out = array("h")
        for i, name in enumerate(names):
            if i:
                pause = PAUSE_S if names[i - 1] == "chime" or name == "to_counter" else GAP_S
                out.extend(array("h", bytes(2 * int(RATE * pause))))
            out.extend(self.samples(name))
        return to_wav(out)


def read_mono16(path: Path) -> array:
    """A WAV file's samples as mono signed 16-bit at RATE."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError, OSError) as exc:
        raise VoiceError(f"{path}: not a PCM WAV file ({exc})") from exc
    if width == 1:
        values = array("h", ((b - 128) << 8 for b in raw))
    elif width == 2:
        values = array("h", raw)
    elif width == 4:
        wide = array("i", raw)
        values = array("h", (v >> 16 for v in wide))
    else:
        raise VoiceError(f"{path}: {8 * width}-bit samples are not supported (use 8, 16 or 32-bit PCM)")
    if channels > 1:
        values = array("h", (sum(values[i:i + channels]) // channels for i in range(0, len(values), channels)))
    return resample(values, rate, RATE) if rate != RATE else values


def resample(values: array, src: int, dst: int) -> array:
    """Linear interpolation; plenty for speech announcements."""
    if not values:
        return values
    n = max(1, round(len(values) * dst / src))
    step = (len(values) - 1) / max(1, n - 1)
    out = array("h")
    for i in range(n):
        pos = i * step
        j = int(pos)
        frac = pos - j
        nxt = values[j + 1] if j + 1 < len(values) else values[j]
        out.append(int(values[j] + (nxt - values[j]) * frac))
    return out


def trim(values: array) -> array:
    start = next((i for i, v in enumerate(values) if abs(v) > SILENCE), len(values))
    end = next((i for i in range(len(values) - 1, -1, -1) if abs(values[i]) > SILENCE), -1)
    return values[start:end + 1] if start <= end else array("h")


def to_wav(values: array) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(values.tobytes())
    return buf.getvalue()


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as w:
        return w.getnframes() / w.getframerate()
