"""Make the board's voice segments (WAV, 22,050 Hz mono 16-bit) with espeak-ng's Vietnamese voice.

Run once when the word list changes; the WAV files are committed with the application in
ui/assets/voice/. An office can record its own voice: a file of the same name in the folder
set by `voice_dir` in settings.toml replaces the bundled one (any WAV; it is converted).

    sudo apt-get install espeak-ng      # Debian/Ubuntu
    .venv/bin/python scripts/make_voice.py
"""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import sys
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui.hall.voice_script import SEGMENT_TEXT

OUT = Path(__file__).resolve().parents[1] / "ui" / "assets" / "voice"
RATE = 22_050


def chime(path: Path) -> None:
    """A soft two-note "ding-dong" (E6 then C6) with an exponential fade, so calls stand out."""
    frames = bytearray()
    for freq, seconds in ((1318.5, 0.45), (1046.5, 0.75)):
        n = int(RATE * seconds)
        for i in range(n):
            t = i / RATE
            envelope = math.exp(-4.0 * t) * min(1.0, i / 200)
            sample = 0.45 * envelope * (math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t))
            frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767 * 0.8))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))


def speak(text: str, path: Path) -> None:
    subprocess.run(["espeak-ng", "-v", "vi", "-s", "135", "-p", "45", "-w", str(path), text], check=True)


def main() -> None:
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not installed (sudo apt-get install espeak-ng)")
    OUT.mkdir(parents=True, exist_ok=True)
    chime(OUT / "chime.wav")
    for name, text in SEGMENT_TEXT.items():
        speak(text, OUT / f"{name}.wav")
    print(f"wrote {len(SEGMENT_TEXT) + 1} segments to {OUT}")


if __name__ == "__main__":
    main()
