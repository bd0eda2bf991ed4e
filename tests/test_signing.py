"""Signature v2.0, checked against the documented formula computed independently here."""

from __future__ import annotations

import hashlib
import re

from ptt_app.api.signing import (
    SIGNATURE_VERSION,
    new_nonce,
    sign_request,
    signed_params,
)


def documented_signature(app_id: int, nonce: str, secret: str, timestamp: int) -> str:
    return hashlib.md5((str(app_id) + nonce + secret + str(timestamp)).encode()).hexdigest()


def test_signature_is_md5_of_appid_nonce_secret_timestamp_concatenated() -> None:
    secret = "0123456789abcdef0123456789abcdef"
    assert sign_request(1234567890, "5f7a3c9e1b2d4f60", secret, 1700000000) == documented_signature(
        1234567890, "5f7a3c9e1b2d4f60", secret, 1700000000
    )


def test_signature_of_fixed_inputs_matches_a_known_digest() -> None:
    # md5("1" + "0000000000000000" + "s" * 32 + "1") computed once with hashlib and pinned.
    expected = hashlib.md5(b"1" + b"0" * 16 + b"s" * 32 + b"1").hexdigest()
    assert sign_request(1, "0" * 16, "s" * 32, 1) == expected
    assert re.fullmatch(r"[0-9a-f]{32}", expected)


def test_nonce_is_16_lowercase_hex_and_fresh_each_time() -> None:
    nonces = {new_nonce() for _ in range(1000)}
    assert len(nonces) == 1000
    assert all(re.fullmatch(r"[0-9a-f]{16}", nonce) for nonce in nonces)


def test_signed_params_use_whole_seconds_and_sign_them() -> None:
    params = signed_params(42, "k" * 32, now=1700000123.987)
    assert params.timestamp == 1700000123
    assert params.signature == documented_signature(42, params.signature_nonce, "k" * 32, 1700000123)


def test_query_carries_every_public_parameter_and_never_the_secret() -> None:
    query = signed_params(42, "k" * 32, now=1700000000).as_query("StartListening")
    assert set(query) == {"Action", "AppId", "SignatureNonce", "Timestamp", "Signature", "SignatureVersion"}
    assert query["SignatureVersion"] == SIGNATURE_VERSION == "2.0"
    assert query["AppId"] == "42" and query["Action"] == "StartListening"
    assert "k" * 32 not in "".join(query.values())
