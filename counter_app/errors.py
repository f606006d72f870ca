"""Errors the services raise: a Vietnamese message for the clerk, an English one for the log."""

from __future__ import annotations

from dataclasses import dataclass


class OfficeError(Exception):
    """Base of every error the office core reports to a person.

    `message_vi` is shown to the clerk; `str(err)` (English) goes to the log.
    """

    def __init__(self, log_message: str, message_vi: str) -> None:
        super().__init__(log_message)
        self.message_vi = message_vi


class NotFound(OfficeError):
    """A dossier, procedure, ward or other record does not exist."""


class InvalidInput(OfficeError):
    """A value typed or scanned by a person is not acceptable."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a form, tied to its field (name, id_number, address, phone, …)."""

    field: str
    message_vi: str
    message_en: str = ""


class FormProblems(InvalidInput):
    """Everything wrong with a form at once: the screen marks each field and puts the focus on the first."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("form refused: " + "; ".join(p.message_en or p.field for p in problems),
                         " ".join(p.message_vi for p in problems))
        self.problems = problems


class InvalidTransition(OfficeError):
    """A dossier action that its current status does not allow."""


class DuplicateSubmission(OfficeError):
    """The same intake form was submitted twice; `code` names the dossier made the first time."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"intake form already submitted as dossier {code}",
            f"Biểu mẫu này đã được lưu thành hồ sơ {code}; không tạo hồ sơ trùng.",
        )
        self.code = code


class Forbidden(OfficeError):
    """The signed-in person's role does not allow the operation."""


class SignInFailed(OfficeError):
    """Wrong name or password, or the account is locked or disabled."""


class SessionElsewhere(OfficeError):
    """The clerk is signed in at another machine; signing in here ends that session once they confirm."""

    def __init__(self, where_en: str, where_vi: str) -> None:
        super().__init__(f"account already signed in at {where_en}",
                         f"Tài khoản của bạn đang đăng nhập tại {where_vi}. Đăng nhập ở đây sẽ kết thúc phiên đó.")


class MachineRefused(OfficeError):
    """A request without a valid machine token, or from a revoked machine."""


class KeyReused(OfficeError):
    """An idempotency key sent again with another request (another body, clerk or machine): nothing is done."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"idempotency key reused for another request: {detail}",
            "Mã yêu cầu này đã được dùng cho một yêu cầu khác; thao tác không được thực hiện. Xin thử lại.",
        )


class TooLarge(OfficeError):
    """A request larger than its operation allows; refused as it streams in."""


class ConfigError(OfficeError):
    """The office is not set up, or its settings are wrong."""


class HubUnreachable(OfficeError):
    """A LAN client cannot reach the office hub; what the clerk typed stays on the screen."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"office hub unreachable: {detail}",
            "Không kết nối được máy chủ văn phòng. Dữ liệu đã nhập vẫn được giữ nguyên; phần mềm đang tự "
            "kết nối lại, xin thử lại sau ít phút.",
        )


class HubNotTrusted(OfficeError):
    """The hub showed a certificate other than the one pinned for it: nothing is sent to it."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"office hub certificate refused: {detail}",
            "Máy chủ văn phòng trình chứng chỉ khác với chứng chỉ đã ghi nhận cho máy này, hoặc chưa có dấu vân tay "
            "chứng chỉ trong cấu hình. Không gửi dữ liệu đi. Xin báo quản trị kiểm tra mạng và cấu hình.",
        )


class AlreadyDone(OfficeError):
    """A repeated write request whose first sending was carried out but whose answer was not kept."""


class StorageFull(OfficeError):
    """The disk holding the office store is full: nothing was written; it works again once space is freed."""

    def __init__(self, log_message: str) -> None:
        super().__init__(log_message, "Ổ đĩa của máy chủ văn phòng đã đầy nên chưa lưu được; dữ liệu đang nhập vẫn "
                                      "còn trên màn hình. Xin báo quản trị giải phóng dung lượng rồi bấm lưu lại.")


class StoreDamaged(OfficeError):
    """The office store fails SQLite's checks: the office stops rather than work on a damaged file."""
