"""Trust exactly one hub: the certificate whose SHA-256 fingerprint this PC was given, and no other.

Before the first request (and after a failed handshake) the hub's certificate is fetched on a
connection that sends nothing but the TLS greeting; if its fingerprint is not the pinned one, nothing
is ever sent, no token and no password. If it is, the certificate becomes the only trust anchor of the
context every request and the event stream use, so a relay cannot swap it later either. Host names are
not checked: an office LAN has no names, and the pin says more than a name would.
"""

from __future__ import annotations

import logging
import ssl
import threading

from counter_app.errors import HubNotTrusted
from counter_app.rules.fingerprint import fingerprint_of_pem, format_fingerprint

log = logging.getLogger(__name__)


class PinnedHub:
    def __init__(self, host: str, port: int, fingerprint: str) -> None:
        self.address = (host, port)
        self.fingerprint = format_fingerprint(fingerprint)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # no trust anchor yet: every handshake fails
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_REQUIRED
        self._pinned = False
        self._lock = threading.Lock()

    def ensure(self, timeout: float = 2.0) -> None:
        """Make the pinned certificate the context's anchor, once; raises HubNotTrusted, or OSError if unreachable."""
        with self._lock:
            if self._pinned:
                return
            if len(self.fingerprint) != 95:
                raise HubNotTrusted("no SHA-256 fingerprint for the hub in the settings (hub_fingerprint)")
            pem = ssl.get_server_certificate(self.address, timeout=timeout)
            shown = fingerprint_of_pem(pem)
            if shown != self.fingerprint:
                log.error("office hub at %s:%d shows certificate %s, not the pinned %s: nothing sent",
                          *self.address, shown, self.fingerprint)
                raise HubNotTrusted(f"{self.address[0]}:{self.address[1]} shows {shown}")
            self.context.load_verify_locations(cadata=pem)
            self._pinned = True
            log.info("office hub certificate %s pinned", shown)
