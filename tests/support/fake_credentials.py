"""One stand-in for the keyring, shared by the tests and the benchmarks that measure something else."""

from __future__ import annotations

from ptt_app.api.types import Credentials
from ptt_app.store.credentials import CredentialsMissing


class FixedCredentialStore:
    """Hands out fixed credentials (the keyring itself is covered by test_credentials and test_cli)."""

    def __init__(self, credentials: Credentials | None) -> None:
        self.credentials = credentials

    def load(self, profile: str) -> Credentials:
        if self.credentials is None:
            raise CredentialsMissing(f"no AppId and ServerSecret saved in the keyring for profile {profile!r}")
        return self.credentials

    def save(self, profile: str, credentials: Credentials) -> None:
        self.credentials = credentials

    def clear(self, profile: str) -> bool:
        saved, self.credentials = self.credentials is not None, None
        return saved

    def backend_name(self) -> str:
        return "test"
