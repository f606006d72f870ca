"""The hub's own TLS certificate: made on first start, nothing to buy or configure, pinned by its clients.

An office LAN has no certificate authority and no domain name, so the hub signs its own certificate
(ECDSA P-256, ten years) and every client pins it by its SHA-256 fingerprint, printed by `serve` and by
`machines add` beside the machine's token. Plain HTTP is served only on a loopback address.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from counter_app.rules.fingerprint import fingerprint_of_pem
from counter_app.store.private import private_dir, private_file

log = logging.getLogger(__name__)

CERT_NAME, KEY_NAME = "hub-cert.pem", "hub-key.pem"
VALID_FOR = dt.timedelta(days=3650)


@dataclass(frozen=True)
class HubCertificate:
    cert: Path
    key: Path
    fingerprint: str  # SHA-256 of the DER certificate, "AB:CD:…"


def ensure_certificate(folder: Path, hosts: list[str]) -> HubCertificate:
    """The hub's certificate in `folder`, made the first time (the key readable by the owner only)."""
    cert_path, key_path = folder / CERT_NAME, folder / KEY_NAME
    if not (cert_path.exists() and key_path.exists()):
        private_dir(folder)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"counter-app hub {socket.gethostname()}"[:64])])
        now = dt.datetime.now(dt.UTC)
        alt: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.DNSName(socket.gethostname())]
        for host in hosts:
            try:
                alt.append(x509.IPAddress(ipaddress.ip_address(host.strip("[]"))))
            except ValueError:
                alt.append(x509.DNSName(host))
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + VALID_FOR)
                .add_extension(x509.SubjectAlternativeName(alt), critical=False)
                # its own anchor: each client trusts exactly this certificate, found by its fingerprint
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .sign(key, hashes.SHA256()))
        private_file(key_path).write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                             serialization.PrivateFormat.PKCS8,
                                                             serialization.NoEncryption()))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        log.info("hub TLS certificate made in %s", folder)
    return HubCertificate(cert_path, key_path, fingerprint_of_pem(cert_path.read_bytes()))
