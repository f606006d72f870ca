"""The board follows the office's calls: newest first and highlighted, each call spoken once, in turn."""

from __future__ import annotations

from pathlib import Path

from ui.hall.announcer import Announcer
from ui.hall.board import BoardWindow

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def test_a_call_updates_the_board_and_is_announced_exactly_once(qtbot, office):
    for lane in ("A", "A", "B", "C", "A"):
        office.issue_ticket(lane=lane)
    office.call_next(2, actor="canbo2")  # before the board starts: shown, not spoken again
    announcer = Announcer()
    spoken: list[tuple[str, str, bool]] = []
    announcer.started.connect(lambda c: spoken.append(("start", c.label, c.recall)))
    announcer.finished.connect(lambda c: spoken.append(("end", c.label, c.recall)))
    board = BoardWindow(office, announcer=announcer)
    qtbot.addWidget(board)
    board.resize(1600, 900)
    board.show()
    assert board.rows[0].ticket.text() == "A001" and spoken == []

    office.call_next(3, actor="canbo3")
    qtbot.waitUntil(lambda: board.rows[0].ticket.text() == "A002", timeout=5000)
    assert board.rows[0].counter.text() == "Quầy 3" and board.rows[1].ticket.text() == "A001"
    assert board.rows[0].property("newest") is True
    assert spoken == [("start", "A002", False)] and announcer.pending == []

    office.recall(3, actor="canbo3")  # spoken again, but only after the first call has ended
    qtbot.waitUntil(lambda: len(announcer.pending) == 1 or len(spoken) > 1, timeout=5000)
    assert [r.ticket.text() for r in board.rows if r.isVisible()] == ["A002", "A001"]  # listed once
    assert spoken[-1] != ("start", "A002", True) or spoken[-2] == ("end", "A002", False)
    lanes = {board.lanes_grid.itemAtPosition(r, 0).widget().text(): board.lanes_grid.itemAtPosition(r, 1)
             .widget().text() for r in range(board.lanes_grid.rowCount())}
    assert lanes["A · Hộ tịch"] == "1" and lanes["B · Chứng thực"] == "1"
    # Now serving, per open counter: counter 2 still serves A001 though A002 was called after it.
    tiles = {no: (tile.ticket.text(), tile.state.text()) for no, tile in board.tiles.items()}
    assert tiles == {2: ("A001", "Mời vào quầy"), 3: ("A002", "Mời vào quầy")}
    assert board.tiles[3].property("newest") is True and board.tiles[2].property("newest") is False
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert board.grab().save(str(SHOTS / "board.png"))

    qtbot.waitUntil(lambda: ("start", "A002", True) in spoken, timeout=15000)
    assert spoken[:3] == [("start", "A002", False), ("end", "A002", False), ("start", "A002", True)]
    assert len([s for s in spoken if s[0] == "start"]) == 2  # two call rows, two announcements
    board.close()
    assert board.isVisible()  # a hall screen does not close by accident
    board.close_for_real()


def test_the_board_fills_its_screen_with_every_open_counter(qtbot, office):
    for _ in range(6):
        office.issue_ticket(lane="A")
    for counter in (1, 2, 3):
        office.set_counter_open(counter, True, actor=f"canbo{counter}")
        office.call_next(counter, actor=f"canbo{counter}")
    office.start_serving(1, actor="canbo1")
    office.start_serving(3, actor="canbo3")
    office.finish_ticket(3, actor="canbo3")  # counter 3 is open and free
    for width, height in ((1920, 1080), (1366, 768)):
        board = BoardWindow(office, voice=False)
        qtbot.addWidget(board)
        board.resize(width, height)
        board.show()
        qtbot.waitExposed(board)
        assert (board.width(), board.height()) == (width, height)
        tiles = {no: (t.ticket.text(), t.state.text()) for no, t in board.tiles.items()}
        assert tiles == {1: ("A001", "Đang phục vụ"), 2: ("A002", "Mời vào quầy"), 3: ("—", "Sẵn sàng")}
        lowest = max(t.geometry().bottom() for t in board.tiles.values())
        assert lowest > height * 0.8  # the tiles reach down the screen, no empty bottom third
        board.grab().save(str(SHOTS / f"board_{width}x{height}.png"))
        board.close_for_real()
