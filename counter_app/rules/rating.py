"""The citizen's rating of a service: the three choices the one-stop points ask, and the reasons to tap."""

from __future__ import annotations

CHOICES = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng", "not_satisfied": "Chưa hài lòng"}
REASONS = {
    "wait": "Phải chờ lâu",
    "attitude": "Thái độ phục vụ chưa tốt",
    "guidance": "Hướng dẫn chưa rõ ràng",
    "papers": "Phải đi lại, bổ sung nhiều lần",
    "facilities": "Cơ sở vật chất chưa tốt",
}
ASK_SECONDS = 30  # the screen shows the question this long after the service
ANSWER_SECONDS = 60  # a tap is taken this long after the question (the screen may have been slow to show it)
RATING_OP = "rating"  # the kind of the op that takes an answer to the city
