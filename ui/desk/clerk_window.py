"""The clerk's window for the whole day: queue panel, intake form, dossier list, status bar.

The status bar names the office hub, the city sync and the printers, so a clerk sees at once why
something did not go out. Every frequent action has a shortcut, shown in its tooltip.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QWidget,
)

from counter_app.errors import OfficeError
from counter_app.events import DossierChanged, HubConnection, OfficeEvent, PrintChanged, SyncChanged
from counter_app.office import Office
from counter_app.rules.clock import TZ, now
from counter_app.views.accounts import AccountView, Role, SessionView
from counter_app.views.dossiers import DossierDetail, OfficeInfo
from counter_app.views.health import StoreHealth
from counter_app.views.printing import PrinterView, PrintRequest
from counter_app.views.sync import SyncStatus
from ui.common.messages import error_text
from ui.common.worker import Runner, follow_events
from ui.desk import clerk_style
from ui.desk.admin_window import AdminWindow
from ui.desk.daily_view import DailyView
from ui.desk.dossier_detail import DossierDetailDialog
from ui.desk.dossier_list import DossierList
from ui.desk.health_text import health_text
from ui.desk.intake_form import IntakeFormWidget
from ui.desk.period_view import PeriodView
from ui.desk.print_jobs_dialog import PrintJobsDialog
from ui.desk.queue_panel import QueuePanel
from ui.desk.register_dialog import RegisterDialog
from ui.desk.screen_lock import IdleWatch, LockOverlay, hide_while_locked
from ui.desk.sync_dialog import SyncDialog
from ui.desk.sync_text import SYNC_NOT_SET, sync_text

log = logging.getLogger(__name__)

HUB_EMBEDDED = "Máy chủ văn phòng: chạy trong máy này"
DEFAULT_IDLE_LOCK_MIN = 15.0


def hub_label(url: str) -> str:
    """The status-bar text of a PC that works at the office hub over the LAN."""
    return f"Máy chủ văn phòng: {url.split('://', 1)[-1]}"


class ClerkWindow(QMainWindow):
    finished = Signal(bool)  # closed; True when another clerk takes the desk over

    def __init__(self, office: Office, info: OfficeInfo, session: SessionView, *,
                 hub_label: str = HUB_EMBEDDED, sync_label: str = SYNC_NOT_SET,
                 idle_lock_minutes: float = DEFAULT_IDLE_LOCK_MIN) -> None:
        super().__init__()
        self.handover = False
        self.office, self.info, self.session = office, info, session
        self.actor, self.counter_no = session.username, session.counter_no
        self.runner = Runner(self)
        self.names: dict[str, str] = {session.username: session.full_name}
        self.queue_panel: QueuePanel | None = None
        self._served: list[str] = []  # dossiers received for the ticket being served
        self.details: list[DossierDetailDialog] = []
        where = f" · Quầy số {self.counter_no}" if self.counter_no else ""
        self.setWindowTitle(f"Một cửa — {info.name} — {session.full_name}{where}")
        self.resize(1440, 880)
        self.setStyleSheet(clerk_style.for_window())  # dialogs opened from here inherit it

        self.intake = IntakeFormWidget(office, actor=self.actor, counter_no=self.counter_no,
                                       on_print=self.submit_print)
        self.dossiers = DossierList(office, actor=self.actor)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.intake, "Tiếp nhận hồ sơ (F2)")
        self.tabs.addTab(self.dossiers, "Danh sách hồ sơ (F3)")
        self.setCentralWidget(self.tabs)
        self.intake.saved.connect(lambda _d: self.dossiers.model.reload())
        self.dossiers.opened.connect(self.open_dossier)
        self.tabs.currentChanged.connect(lambda _i: self._reload_list())

        self._status_bar(hub_label, sync_label)
        self._menus()
        if self.counter_no is not None:
            self._add_queue_panel(self.counter_no)
        self._unsubscribe = follow_events(self, office, self._on_event)
        self.runner.run(office.accounts, self._got_names, lambda exc: log.warning("accounts: %s", exc))
        self._refresh_printers()
        self._refresh_sync()
        self._sync_timer = QTimer(self, interval=60_000)  # "last success" and "next try" stay current
        self._sync_timer.timeout.connect(self._refresh_sync)
        self._sync_timer.start()
        self.lock = LockOverlay(office, session, idle_lock_minutes, self)
        self.lock.hide()
        self.lock.unlocked.connect(self._unlocked)
        self.lock.other_clerk.connect(self.hand_over)
        self._restore: Callable[[], None] = lambda: None  # what the lock hid, put back
        self.idle = IdleWatch(idle_lock_minutes, self)
        self.idle.idle.connect(self.lock_screen)

    # --- frame
    def _status_bar(self, hub_label: str, sync_label: str) -> None:
        bar = self.statusBar()
        self.who = QLabel(f"{self.session.full_name} ({self.session.role.label_vi})")
        self.hub = QLabel(hub_label)
        self.sync = QPushButton(sync_label, flat=True)
        self.sync.clicked.connect(self.open_sync)
        self.printer_button = QPushButton("Máy in: sẵn sàng", flat=True)
        self.printer_button.setToolTip("Lệnh in và máy in: in lại, chuyển máy in, hủy, in thử (Ctrl+Shift+P)")
        self.printer_button.clicked.connect(self.open_print_jobs)
        self.health = QLabel("")
        bar.addWidget(self.who)
        for widget in (self.health, self.hub, self.sync, self.printer_button):
            bar.addPermanentWidget(widget)

    def _menus(self) -> None:
        def add(menu_name: str, text: str, key: str, slot: Callable[[], object]) -> QAction:
            action = QAction(text, self, shortcut=QKeySequence(key), triggered=slot)
            action.setToolTip(f"{text} ({key})")
            if menu_name not in menus:
                menus[menu_name] = self.menuBar().addMenu(menu_name)
            menus[menu_name].addAction(action)
            return action

        menus: dict[str, QMenu] = {}
        add("&Hồ sơ", "Tiếp nhận hồ sơ mới", "F2", self.show_intake)
        add("&Hồ sơ", "Danh sách hồ sơ", "F3", self.show_list)
        add("&Hồ sơ", "Mở hồ sơ theo mã…", "Ctrl+O", self.show_list_search)
        self.daily_action = add("&Báo cáo", "Tình hình trong ngày", "Ctrl+D", self.open_daily)
        self.daily_action.setEnabled(self.session.can(Role.SUPERVISOR))
        self.period_action = add("&Báo cáo", "Báo cáo theo kỳ (tháng, quý, năm)…", "Ctrl+Shift+B", self.open_period)
        self.period_action.setEnabled(self.session.can(Role.SUPERVISOR))
        add("&Báo cáo", "In sổ theo dõi hồ sơ…", "Ctrl+Shift+R", self.open_register)
        add("&Máy in", "Lệnh in và máy in", "Ctrl+Shift+P", self.open_print_jobs)
        self.admin_action = add("&Quản trị", "Tài khoản, quầy và lịch làm việc…", "Ctrl+Shift+A", self.open_admin)
        self.admin_action.setEnabled(self.session.can(Role.ADMINISTRATOR))
        add("Đồng &bộ", "Đồng bộ với thành phố ngay", "Ctrl+Shift+S", self.sync_now)
        add("Đồng &bộ", "Tình trạng đồng bộ và dữ liệu bị từ chối…", "Ctrl+Shift+Y", self.open_sync)
        add("&Phiên", "Đăng xuất (cán bộ khác đăng nhập)", "Ctrl+Shift+Q", self.sign_out)
        add("&Phiên", "Thoát phần mềm", "Ctrl+Shift+F4", self.quit_desk)

    def _add_queue_panel(self, counter_no: int) -> None:
        try:
            self.office.set_counter_open(counter_no, True, actor=self.actor)
        except OfficeError as exc:
            self.statusBar().showMessage(exc.message_vi, 10_000)
            return
        self.queue_panel = QueuePanel(self.office, counter_no, self.actor, dossier_codes=self._served_codes)
        dock = QDockWidget("Hàng chờ", self)
        dock.setObjectName("queueDock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.setWidget(self.queue_panel)
        dock.setMinimumWidth(380)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.intake.saved.connect(lambda d: self._served.append(d.code))

    def _served_codes(self) -> list[str]:
        """The dossiers received for the ticket being finished (then forgotten)."""
        codes, self._served = self._served, []
        return codes

    # --- navigation
    def show_intake(self) -> None:
        self.tabs.setCurrentWidget(self.intake)
        self.intake.name.setFocus()

    def show_list(self) -> None:
        self.tabs.setCurrentWidget(self.dossiers)
        self.dossiers.table.setFocus()

    def show_list_search(self) -> None:
        self.tabs.setCurrentWidget(self.dossiers)
        self.dossiers.search.setFocus()
        self.dossiers.search.selectAll()

    def open_dossier(self, code: str) -> None:
        self.runner.run(partial(self.office.dossier, code), self._show_dossier,
                        lambda exc: self.statusBar().showMessage(error_text(exc), 10_000))

    def _show_dossier(self, dossier: DossierDetail) -> DossierDetailDialog:
        dialog = DossierDetailDialog(self.office, dossier, actor=self.actor, counter_no=self.counter_no,
                                     names=self.names, parent=self, role=self.session.role)
        dialog.changed.connect(lambda _d: self.dossiers.model.reload())
        dialog.finished.connect(lambda _r, d=dialog: self.details.remove(d) if d in self.details else None)
        self.details.append(dialog)
        dialog.show()
        return dialog

    def open_daily(self) -> DailyView:
        view = DailyView(self.office, self)
        view.show()
        return view

    def open_period(self) -> PeriodView:
        view = PeriodView(self.office, today=now().astimezone(TZ).date(), made_by=self.session.full_name, parent=self)
        view.show()
        return view

    def open_admin(self) -> AdminWindow:
        window = AdminWindow(self.office, self.info, actor=self.actor, parent=self)
        window.show()
        return window

    def open_register(self) -> RegisterDialog:
        dialog = RegisterDialog(self.office, actor=self.actor, counter_no=self.counter_no,
                                today=now().astimezone(TZ).date(), parent=self)
        dialog.show()
        return dialog

    def open_sync(self) -> SyncDialog:
        dialog = SyncDialog(self.office, self.actor, can_resend=self.session.can(Role.SUPERVISOR), parent=self)
        dialog.show()
        return dialog

    def open_print_jobs(self) -> PrintJobsDialog:
        dialog = PrintJobsDialog(self.office, self.actor, self)
        dialog.show()
        return dialog

    # --- printing and events
    def submit_print(self, dossier: DossierDetail, request: PrintRequest) -> None:
        """Queue a slip of a dossier that is already committed; a failure never touches the dossier."""
        self.runner.run(partial(self.office.submit_print, request, actor=self.actor),
                        lambda job: self.intake.banner.show_message(
                            self.intake.banner.text().replace(" Đang gửi lệnh in…", "")
                            + (f" Đã gửi lệnh in tới {job.printer}." if job.printer
                               else " Chưa có máy in phù hợp; lệnh in đang chờ."), "ok"),
                        lambda exc: self.intake.banner.show_message(
                            f"Hồ sơ {dossier.code} đã lưu, nhưng chưa in được: {error_text(exc)} "
                            "Mở hồ sơ và bấm “In lại” (Ctrl+P).", "warning"))

    def _on_event(self, event: OfficeEvent) -> None:
        if isinstance(event, HubConnection):
            self._show_hub(event)
        elif isinstance(event, PrintChanged):
            self._refresh_printers()
        elif isinstance(event, SyncChanged):
            self._refresh_sync()
        elif isinstance(event, DossierChanged):
            # Folded: the list reloads once when it is next shown, not on every change of every counter.
            self._list_dirty = True
            if self.tabs.currentWidget() is self.dossiers and not self.dossiers.table.hasFocus():
                self._reload_list()

    def _show_hub(self, event: HubConnection) -> None:
        """Only a LAN client announces these: the hub lost (typed data stays; it reconnects) or back."""
        base = self.hub.text().split(" — ")[0]
        if event.online:
            self.hub.setText(f"{base} — đã kết nối")
            self.hub.setStyleSheet("")
            self.statusBar().showMessage("Đã kết nối lại máy chủ văn phòng.", 10_000)
        else:
            self.hub.setText(f"{base} — mất kết nối, đang thử lại…")
            self.hub.setStyleSheet("color: #9b1c1c; font-weight: bold;")
            self.hub.setToolTip(event.message_vi)

    def _reload_list(self) -> None:
        if getattr(self, "_list_dirty", False):
            self._list_dirty = False
            self.dossiers.model.reload()

    def _got_names(self, accounts: list[AccountView]) -> None:
        self.names.update({a.username: a.full_name for a in accounts})
        self.dossiers.model.names = self.names
        self.dossiers.model.layoutChanged.emit()

    def sync_now(self) -> None:
        self.sync.setText("Đang đồng bộ với thành phố…")
        self.runner.run(self.office.request_sync, lambda _r: None,
                        lambda exc: self.statusBar().showMessage(error_text(exc), 10_000))

    def _refresh_sync(self) -> None:
        self.runner.run(self.office.sync_status, self._show_sync, lambda exc: log.warning("sync status: %s", exc))
        self.runner.run(self.office.store_health, self._show_health,
                        lambda exc: log.warning("store health: %s", exc))

    def _show_health(self, health: StoreHealth) -> None:
        text, tip, colour = health_text(health)
        self.health.setText(text)
        self.health.setToolTip(tip)
        self.health.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")

    def _show_sync(self, status: SyncStatus) -> None:
        text, tip, colour = sync_text(status)
        self.sync.setText(text)
        self.sync.setToolTip(tip)
        self.sync.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")

    def _refresh_printers(self) -> None:
        self.runner.run(self.office.printers, self._show_printers, lambda exc: log.warning("printers: %s", exc))

    def _show_printers(self, printers: list[PrinterView]) -> None:
        problems = [p.problem_vi for p in printers if p.enabled and p.problem_vi]
        enabled = [p for p in printers if p.enabled]
        if problems:
            text = problems[0] + (f" (và {len(problems) - 1} máy in khác)" if len(problems) > 1 else "")
        else:
            text = "Máy in: sẵn sàng" if enabled else "Chưa cài đặt máy in"
        self.printer_button.setText(text)
        self.printer_button.setStyleSheet("color: #9b1c1c; font-weight: bold;" if problems else "")
        each = "\n".join(f"{p.name}: {p.state_vi}" for p in printers)
        self.printer_button.setToolTip((each + "\n\n" if each else "")
                                       + "Lệnh in và máy in: in lại, chuyển máy in, hủy, in thử (Ctrl+Shift+P)")

    # --- the screen lock
    def _sensitive(self) -> tuple[list[QWidget], list[QAction]]:
        """What shows citizens' data (the window's content, its docks and dialogs: the dossiers open are
        among them), and every shortcut."""
        widgets: list[QWidget] = [self.centralWidget(), self.menuBar(), *self.findChildren(QDockWidget),
                                  *self.findChildren(QDialog)]
        return widgets, self.findChildren(QAction)

    def lock_screen(self) -> None:
        if self.lock.isVisible():
            return
        log.info("screen of %s locked after %s idle", self.actor, self.idle.timer.interval() // 1000)
        self.idle.stop()
        self._restore = hide_while_locked(*self._sensitive())
        self.lock.cover()

    def _unlocked(self, session: SessionView) -> None:
        self.session = session
        self._restore()
        self.idle.restart()

    def hand_over(self) -> None:
        """Another clerk signs in at this desk: this clerk's session ends, the window closes for the next one."""
        self.handover = True
        self.close()

    def sign_out(self) -> None:
        """End this clerk's session and offer the sign-in to the next one; the application stays open."""
        if self._may_close():
            self.handover = True
            self.close()

    def quit_desk(self) -> None:
        if self._may_close():
            self.close()

    def _may_close(self) -> bool:
        return not self.intake.has_input() or self.confirm_discard()

    def confirm_discard(self) -> bool:
        """Asked before closing with a dossier half typed (tests answer it themselves)."""
        answer = QMessageBox.question(
            self, "Hồ sơ chưa lưu", "Hồ sơ đang nhập chưa được lưu và sẽ mất. Vẫn đóng?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.lock.isVisible():
            self.lock.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window's own close button asks too; a close by the program (a hand-over at the lock) does not.
        if event.spontaneous() and not self.lock.isVisible() and not self._may_close():
            event.ignore()
            return
        self.idle.stop()
        self._unsubscribe()
        self._sync_timer.stop()
        for dialog in list(self.details):
            dialog.close()
            dialog.runner.wait()
        self.intake.shutdown()
        self.dossiers.shutdown()
        if self.queue_panel is not None:
            self.queue_panel.shutdown()
            try:
                self.office.set_counter_open(self.queue_panel.counter_no, False, actor=self.actor)
            except OfficeError as exc:
                log.warning("could not mark counter closed: %s", exc)
        try:
            self.office.sign_out(self.session.token)
        except OfficeError as exc:
            log.warning("sign-out failed: %s", exc)
        self.runner.wait()
        super().closeEvent(event)
        self.finished.emit(self.handover)

