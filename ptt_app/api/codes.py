"""Return codes of the AI Agent API that are documented; everything else is shown verbatim."""

from __future__ import annotations

SUCCESS = 0

# Common gateway codes, shared by all ZEGOCLOUD server APIs (zego-api.md).
WRONG_HOST = 100000000
APP_ID_FORMAT = 100000001
TIMESTAMP_EMPTY = 100000002
TIMESTAMP_FORMAT = 100000003
SIGNATURE_EXPIRED = 100000004
SIGNATURE_WRONG = 100000005
ACTION_EMPTY = 100000006
ACTION_UNSUPPORTED = 100000007
NONCE_EMPTY = 100000008
SIGNATURE_EMPTY = 100000009
SECRET_NOT_FOUND = 100000010
APP_CONFIG_NOT_FOUND = 100000011
BODY_UNREADABLE = 100000012
SIGNATURE_VERSION_EMPTY = 100000013
SIGNATURE_VERSION_UNSUPPORTED = 100000014
GATEWAY_INTERNAL = 100000015
SERVICE_NOT_ENABLED = 100000017

# AI Agent business codes.
SYSTEM_ERROR = 410000001
INVALID_APP_ID = 410000002
INVALID_PARAMETER = 410000003
BODY_NOT_JSON = 410000004
GATEWAY_AUTH_FAILED = 410000005

DOCUMENTED_MEANINGS: dict[int, str] = {
    SUCCESS: "success",
    WRONG_HOST: "wrong Host in the request header",
    APP_ID_FORMAT: "AppId has a wrong format",
    TIMESTAMP_EMPTY: "Timestamp is empty",
    TIMESTAMP_FORMAT: "Timestamp has a wrong format",
    SIGNATURE_EXPIRED: "signature expired: check the system clock (the server allows 10 minutes of error)",
    SIGNATURE_WRONG: "signature wrong: check the ServerSecret for this AppId",
    ACTION_EMPTY: "Action is empty",
    ACTION_UNSUPPORTED: "Action not supported",
    NONCE_EMPTY: "SignatureNonce is empty",
    SIGNATURE_EMPTY: "Signature is empty",
    SECRET_NOT_FOUND: "no ServerSecret for this AppId: check the AppId",
    APP_CONFIG_NOT_FOUND: "App configuration not found",
    BODY_UNREADABLE: "request body could not be read",
    SIGNATURE_VERSION_EMPTY: "SignatureVersion is empty",
    SIGNATURE_VERSION_UNSUPPORTED: "SignatureVersion not supported (only 2.0)",
    GATEWAY_INTERNAL: "gateway internal error",
    SERVICE_NOT_ENABLED: "the App has not enabled the AI Agent service",
    SYSTEM_ERROR: "AI Agent system error",
    INVALID_APP_ID: "invalid AppId",
    INVALID_PARAMETER: "invalid parameter",
    BODY_NOT_JSON: "body is not valid JSON",
    GATEWAY_AUTH_FAILED: "gateway authentication failed",
}


def describe_code(code: int) -> str | None:
    """The documented meaning of a Code, or None: an unknown number is never given a guessed meaning."""
    return DOCUMENTED_MEANINGS.get(code)
