"""One Rehearse per data folder.

A second window on the same folder would offer to "recover" (and could discard) the answer the
first one is recording. So the GUI holds a QLockFile in the data folder for as long as it runs,
and listens on a QLocalServer named after the folder. A second launch on that folder fails to take
the lock, asks the first to come forward through the server, and exits before it builds a window
or opens the database. The CLI commands never take this lock: they run beside the GUI.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from app import APP_NAME
from app.gui import dialogs

log = logging.getLogger(__name__)

LOCK_NAME = "rehearse.lock"
ACTIVATE = b"activate\n"
RETRY_S = 1.5  # how long a second launch keeps trying when the first holds the lock but is not listening yet


def server_name(data_root: Path) -> str:
    """The same for every spelling of the folder, private to the user, and short (a Unix socket
    path must fit in ~100 bytes, and the server lives in the temp folder)."""
    key = f"{getpass.getuser()}\0{Path(data_root).resolve()}"
    return "rehearse-" + hashlib.sha256(key.encode()).hexdigest()[:16]


class SingleInstance(QObject):
    """The lock on one data folder and the server a second launch talks to."""

    activated = Signal()

    def __init__(self, data_root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_root = Path(data_root)
        self.lock = QLockFile(str(self.data_root / LOCK_NAME))
        self.lock.setStaleLockTime(0)  # held for hours: only a dead holder makes it stale, never its age
        self.name = server_name(self.data_root)
        self.server: QLocalServer | None = None

    def try_claim(self) -> bool:
        """Take the lock and start listening; False when a live process holds it.

        A lock whose process is gone (killed, power cut) is stale: tryLock removes it by itself,
        from the PID, host and boot id in the file, so a crash never locks the person out."""
        if not self.lock.tryLock(0):
            if self.lock.error() == QLockFile.LockError.LockFailedError:
                return False
            # Not "held" but "cannot be made" (a read-only folder): say so, and run without it.
            log.warning(
                "Cannot create the lock %s (%s): a second launch will not be noticed",
                self.lock.fileName(),
                self.lock.error().name,
            )
        self._listen()
        return True

    def holder(self) -> tuple[int, str, str]:
        """(pid, host name, application) of whoever holds the lock, as its file says."""
        pid, host, app = self.lock.getLockInfo()  # (0, "", "") when there is no readable lock file
        return pid, host, app

    def _listen(self) -> None:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)  # we hold the lock: a server by this name is a dead one's
        if not server.listen(self.name):
            log.warning("Cannot listen for a second launch on %s: %s", self.name, server.errorString())
            return
        server.newConnection.connect(self._accept)
        self.server = server
        log.info("Holding %s; a second launch finds this one at %s", self.lock.fileName(), self.name)

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data())
            if line == ACTIVATE:
                log.info("Activated by a second launch on %s", self.data_root)
                self.activated.emit()

    def notify_running(self, wait_ms: int = 250) -> bool:
        """Ask the instance holding the lock to come forward; True when the message went out.

        The bytes wait in the socket if the first one is busy; it reads them when it can."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(wait_ms):
            return False
        socket.write(ACTIVATE)
        sent = socket.waitForBytesWritten(wait_ms) or socket.bytesToWrite() == 0
        socket.disconnectFromServer()
        return sent

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()


def _tell_already_running(instance: SingleInstance) -> None:
    pid, _host, _app = instance.holder()
    message = (
        f"{APP_NAME} is already running on the data folder {instance.data_root} (process {pid}), "
        f"but did not answer. If no {APP_NAME} window is open, remove {instance.lock.fileName()} and start again."
    )
    log.warning(message)
    if sys.stderr is not None:
        print(f"rehearse: {message}", file=sys.stderr)
    dialogs.inform(None, APP_NAME, message)


def claim_data_folder(
    data_root: Path, tell: Callable[[SingleInstance], None] = _tell_already_running
) -> SingleInstance | None:
    """The lock on this data folder, or None when another Rehearse holds it: that one was asked
    to come forward (or, if it never answered, the person was told) and this launch should end."""
    instance = SingleInstance(data_root)
    deadline = time.monotonic() + RETRY_S
    while True:
        if instance.try_claim():
            return instance
        if instance.notify_running():
            log.info(
                "%s already runs on %s (process %s): asked it to come forward",
                APP_NAME,
                data_root,
                instance.holder()[0],
            )
            return None
        if time.monotonic() > deadline:
            tell(instance)
            return None
        time.sleep(0.1)  # the first one holds the lock but is still starting its server


def bring_to_front(window: QWidget) -> None:
    """Show, un-minimise, raise and activate (an X11 or Wayland window manager may refuse the last)."""
    if window.isMinimized():
        if window.windowState() & Qt.WindowState.WindowMaximized:
            window.showMaximized()
        else:
            window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()
    log.info("Window brought forward for a second launch")


__all__ = ["SingleInstance", "bring_to_front", "claim_data_folder", "server_name"]
