"""Signature v2.0 of the ZEGOCLOUD server API: the public query parameters of every call."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

SIGNATURE_VERSION = "2.0"
NONCE_HEX_LENGTH = 16


def new_nonce() -> str:
    """A fresh SignatureNonce: 8 bytes from the OS's cryptographic source, as 16 lowercase hex."""
    return secrets.token_hex(NONCE_HEX_LENGTH // 2)


def sign_request(app_id: int, signature_nonce: str, server_secret: str, timestamp: int) -> str:
    """md5_hex(str(AppId) + SignatureNonce + ServerSecret + str(Timestamp)), as documented."""
    text = f"{app_id}{signature_nonce}{server_secret}{timestamp}"
    return hashlib.md5(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PublicParams:
    """The query parameters every call carries besides Action."""

    app_id: int
    signature_nonce: str
    timestamp: int
    signature: str

    def as_query(self, action: str) -> dict[str, str]:
        """The query string of one call, in the documented parameter names."""
        return {
            "Action": action,
            "AppId": str(self.app_id),
            "SignatureNonce": self.signature_nonce,
            "Timestamp": str(self.timestamp),
            "Signature": self.signature,
            "SignatureVersion": SIGNATURE_VERSION,
        }


def signed_params(app_id: int, server_secret: str, now: float | None = None) -> PublicParams:
    """Public parameters for one request: a new nonce, the current second, and their signature."""
    timestamp = int(time.time() if now is None else now)
    nonce = new_nonce()
    return PublicParams(app_id, nonce, timestamp, sign_request(app_id, nonce, server_secret, timestamp))
