"""Speaking calls on the board: one after another, each to its end, with Qt Multimedia.

Each call becomes one WAV (ui.hall.voice) played by a QMediaPlayer. The next call starts only when
the player reports the end of the current one; a watchdog a little longer than the recording
moves on if the audio device never answers. On a PC without any audio output the queue still
keeps time (each call "plays" for its length in silence) and the log says so once.
"""

from __future__ import annotations

import logging
import tempfile
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

from counter_app.views.queue import CallView
from ui.hall.voice import SegmentLibrary, VoiceError, wav_seconds
from ui.hall.voice_script import call_segments

log = logging.getLogger(__name__)

WATCHDOG_EXTRA_MS = 2500


class Announcer(QObject):
    started = Signal(object)  # CallView
    finished = Signal(object)  # CallView

    def __init__(self, library: SegmentLibrary | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library or SegmentLibrary()
        self._tmp = tempfile.TemporaryDirectory(prefix="counter-voice-")
        self._queue: deque[tuple[CallView, Path, float]] = deque()
        self._playing: CallView | None = None
        self._count = 0
        self.silent = QMediaDevices.defaultAudioOutput().isNull()
        if self.silent:
            log.warning("no audio output device: calls are shown but not heard")
        self._audio = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._audio)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(self._on_error)
        self._watchdog = QTimer(self, singleShot=True)
        self._watchdog.timeout.connect(self._on_watchdog)

    @property
    def pending(self) -> list[CallView]:
        """Calls waiting to be spoken (not the one being spoken)."""
        return [call for call, _, _ in self._queue]

    @property
    def playing(self) -> CallView | None:
        return self._playing

    def announce(self, call: CallView) -> None:
        try:
            data = self.library.join(call_segments(call.label, call.counter_no))
        except VoiceError as exc:
            log.error("cannot voice call %s to counter %s: %s", call.label, call.counter_no, exc)
            return
        self._count += 1
        path = Path(self._tmp.name) / f"call-{self._count}.wav"
        path.write_bytes(data)
        self._queue.append((call, path, wav_seconds(data)))
        self._next()

    def _next(self) -> None:
        if self._playing is not None or not self._queue:
            return
        call, path, seconds = self._queue.popleft()
        self._playing = call
        self.started.emit(call)
        if self.silent:
            self._watchdog.start(int(seconds * 1000))
            return
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()
        self._watchdog.start(int(seconds * 1000) + WATCHDOG_EXTRA_MS)

    def _done(self) -> None:
        self._watchdog.stop()
        call, self._playing = self._playing, None
        if call is not None:
            self.finished.emit(call)
        QTimer.singleShot(0, self._next)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            self._done()

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        log.warning("audio player error: %s", message)
        # Keep the rhythm: the watchdog finishes this call at its length, never cutting the next one.

    def _on_watchdog(self) -> None:
        if not self.silent:
            log.warning("audio player did not report the end of call %s; moving on", self._playing)
        self._player.stop()
        self._done()
