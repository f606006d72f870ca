"""The board's voice: numbers read the Vietnamese way, segments joined into one WAV, office recordings."""

from __future__ import annotations

import io
import math
import struct
import wave
from array import array

import pytest

from ui.hall.voice import RATE, SegmentLibrary, VoiceError, read_mono16, wav_seconds
from ui.hall.voice_script import SEGMENT_TEXT, call_segments, label_segments, number_segments


def _words(segments: list[str]) -> str:
    return " ".join(SEGMENT_TEXT[s] for s in segments)


@pytest.mark.parametrize(("n", "spoken"), [
    (0, "không"), (7, "bảy"), (10, "mười"), (11, "mười một"), (15, "mười lăm"), (20, "hai mươi"),
    (21, "hai mươi mốt"), (25, "hai mươi lăm"), (44, "bốn mươi bốn"), (100, "một trăm"),
    (105, "một trăm linh năm"), (115, "một trăm mười lăm"), (999, "chín trăm chín mươi chín"),
    (1234, "một hai ba bốn"),
])
def test_numbers_are_read_the_vietnamese_way(n, spoken):
    assert _words(number_segments(n)) == spoken


def test_a_call_is_chime_then_the_sentence():
    assert _words(label_segments("A012")) == "a mười hai"
    assert _words(label_segments("G105")) == "giê một trăm linh năm"
    segments = call_segments("B007", 3)
    assert segments[0] == "chime"
    assert _words(segments[1:]) == "Mời công dân có số bê bảy đến quầy số ba"


def test_every_segment_a_call_can_need_is_bundled_and_readable():
    library = SegmentLibrary()
    for name in ["chime", *SEGMENT_TEXT]:
        samples = library.samples(name)
        assert len(samples) > RATE // 20, name  # at least 50 ms of sound after trimming silence


def test_joined_announcement_is_the_segments_in_order_with_short_gaps():
    library = SegmentLibrary()
    names = call_segments("A012", 3)
    data = library.join(names)
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
        samples = array("h", w.readframes(w.getnframes()))
    # The first segment's samples open the file, the last one's close it.
    first, last = library.samples(names[0]), library.samples(names[-1])
    assert samples[:len(first)] == first
    assert samples[-len(last):] == last
    spoken = sum(len(library.samples(n)) for n in names) / RATE
    assert spoken < wav_seconds(data) < spoken + 2.0
    assert 3.0 < wav_seconds(data) < 12.0


def _tone_wav(path, *, rate: int, channels: int, width: int, seconds: float) -> None:
    frames = bytearray()
    for i in range(int(rate * seconds)):
        v = math.sin(2 * math.pi * 440 * i / rate)
        one = bytes([int(128 + 100 * v)]) if width == 1 else struct.pack("<h", int(20000 * v))
        frames += one * channels
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


def test_an_office_recording_replaces_the_bundled_segment_and_is_converted(tmp_path):
    _tone_wav(tmp_path / "intro.wav", rate=44_100, channels=2, width=1, seconds=1.0)
    library = SegmentLibrary(office_dir=tmp_path)
    assert library.path("intro") == tmp_path / "intro.wav"
    assert library.path("to_counter").parent != tmp_path  # the others stay bundled
    samples = read_mono16(tmp_path / "intro.wav")
    assert abs(len(samples) - RATE) <= 1  # one second at 22,050 Hz, mono
    assert max(samples) > 20000  # 8-bit audio scaled to 16-bit


def test_a_broken_recording_is_a_voice_error(tmp_path):
    (tmp_path / "intro.wav").write_bytes(b"not a wav")
    with pytest.raises(VoiceError, match="not a PCM WAV"):
        SegmentLibrary(office_dir=tmp_path).samples("intro")
    with pytest.raises(VoiceError, match="not found"):
        SegmentLibrary().path("letter_đ")
