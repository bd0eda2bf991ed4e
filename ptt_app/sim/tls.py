"""A throw-away TLS identity for the simulator: a self-signed certificate for 127.0.0.1, ::1 and localhost.

Made in memory with the `cryptography` package (no openssl subprocess), written to a private temporary
folder that lives as long as the simulator, and trusted by a client through `verify=<certificate path>`.
"""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

CERTIFICATE_FILE = "sim-ca.pem"
_KEY_FILE = "sim-key.pem"
_VALID_FOR = datetime.timedelta(days=2)
# A client whose clock is a little behind must not see a certificate "not yet valid".
_BACKDATE = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class TlsIdentity:
    """The certificate (also its own CA) and key files of one simulator run."""

    folder: Path
    certificate_path: Path
    key_path: Path

    def server_context(self) -> ssl.SSLContext:
        """A server-side context serving this certificate, TLS 1.2 or later."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.certificate_path, self.key_path)
        return context

    def remove(self) -> None:
        """Delete the files: the key never outlives the simulator."""
        shutil.rmtree(self.folder, ignore_errors=True)


def make_tls_identity() -> TlsIdentity:
    """A fresh key and self-signed certificate for the loopback names, in a new private folder."""
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:  # a test and bench dependency: the app itself never serves TLS
        raise SystemExit("the simulator's TLS mode needs the cryptography package: pip install cryptography") from None

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ptt-app-sim throw-away certificate")])
    now = datetime.datetime.now(datetime.timezone.utc)
    public_key = key.public_key()
    names = x509.SubjectAlternativeName(
        [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _VALID_FOR)
        .add_extension(names, critical=False)
        # Its own CA, so that `verify=` this file trusts it: clients check the chain and the name.
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="ptt-app-sim-tls-"))
    certificate_path, key_path = folder / CERTIFICATE_FILE, folder / _KEY_FILE
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_path.touch(mode=0o600)
    key_path.write_bytes(key_bytes)
    return TlsIdentity(folder, certificate_path, key_path)
