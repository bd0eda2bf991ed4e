"""What a run of the console needs, assembled once: profile, credentials, journal, and the demo simulator."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import Credentials, InstanceSpec
from ptt_app.session.demo import DEMO_PROFILE, DemoBackend, DemoStartFailed
from ptt_app.store.credentials import KeyringCredentialStore
from ptt_app.store.journal import RequestJournal
from ptt_app.store.paths import journal_path, settings_path
from ptt_app.store.settings import (
    AppSettings,
    InvalidSettings,
    ProfileSettings,
    SettingsStore,
    validate_profile,
)
from ptt_app.talk.journaled import JournaledAgentApi
from ptt_app.talk.sequence import SequenceSource


@dataclass(frozen=True)
class ConsoleOptions:
    """Command-line choices that apply to every command: which profile, and one-run overrides."""

    demo: bool = False
    profile: str | None = None
    endpoint: str | None = None
    agent_instance_id: str | None = None
    user_id: str | None = None


@dataclass(frozen=True)
class ResolvedProfile:
    """The profile a run uses: its name, its settings with overrides applied, and load warnings."""

    name: str
    settings: ProfileSettings
    app_settings: AppSettings
    warnings: tuple[str, ...]


def resolve_profile(options: ConsoleOptions, store: SettingsStore | None = None) -> ResolvedProfile:
    """Load settings and apply command-line overrides; a bad override raises InvalidSettings naming it."""
    loaded = (store or SettingsStore(settings_path())).load()
    app_settings = loaded.settings
    name = options.profile or app_settings.active_profile
    profile = app_settings.profiles.get(name, ProfileSettings())
    overrides = {
        key: value
        for key, value in (
            ("endpoint", options.endpoint),
            ("agent_instance_id", options.agent_instance_id),
            ("user_id", options.user_id),
        )
        if value is not None
    }
    profile = dataclasses.replace(profile, **overrides)
    problems = validate_profile(profile)
    if problems:
        raise InvalidSettings(problems)
    return ResolvedProfile(name, profile, app_settings, tuple(loaded.warnings))


def instance_spec(profile: ProfileSettings) -> InstanceSpec:
    """CreateAgentInstance parameters of a profile, in walkie-talkie mode."""
    return InstanceSpec(
        agent_id=profile.agent_id,
        user_id=profile.user_id,
        rtc_room_id=profile.rtc_room_id,
        agent_stream_id=profile.agent_stream_id,
        user_stream_id=profile.user_stream_id,
        communication_mode=profile.walkie_talkie_mode,
        interrupt_mode=profile.interrupt_mode,
    )


def make_client(credentials: Credentials, profile: ProfileSettings) -> AgentApiClient:
    """A client for one profile's endpoint and timeouts."""
    return AgentApiClient(
        credentials,
        profile.endpoint,
        connect_timeout_s=profile.connect_timeout_s,
        read_timeout_s=profile.read_timeout_s,
        max_connections=profile.max_in_flight + 1,
    )


@dataclass
class ConsoleSession:
    """Everything one run talks through; close() releases it all."""

    profile_name: str
    profile: ProfileSettings
    api: JournaledAgentApi
    journal: RequestJournal
    demo: DemoBackend | None = None
    owns_journal: bool = True

    @property
    def client(self) -> AgentApiClient:
        """The signed HTTP client."""
        return self.api.client

    def sequence_source(self, agent_instance_id: str | None = None, user_id: str | None = None) -> SequenceSource:
        """A Sequence source seeded above everything this journal ever used for the instance and user."""
        instance = self.profile.agent_instance_id if agent_instance_id is None else agent_instance_id
        user = self.profile.user_id if user_id is None else user_id
        return SequenceSource(self.journal.max_sequence(self.client.app_id, instance, user))

    def close(self, close_journal: bool = True) -> None:
        """Close the client, the demo simulator, and the journal if this session opened it."""
        self.client.close()
        if close_journal and self.owns_journal:
            self.journal.close()
        if self.demo is not None:
            self.demo.close()


def open_session(
    options: ConsoleOptions,
    credential_store: KeyringCredentialStore | None = None,
    journal: RequestJournal | None = None,
) -> ConsoleSession:
    """Open a run: the demo when asked, else the profile's keyring credentials (CredentialError if absent).
    A journal passed in stays the caller's to close."""
    resolved = resolve_profile(options)
    owns_journal = journal is None
    journal = journal or RequestJournal(journal_path())
    try:
        if options.demo:
            session = _open_demo(resolved, journal)
        else:
            credentials = (credential_store or KeyringCredentialStore()).load(resolved.name)
            api = JournaledAgentApi(make_client(credentials, resolved.settings), journal, resolved.name)
            session = ConsoleSession(resolved.name, resolved.settings, api, journal)
    except BaseException:
        if owns_journal:
            journal.close()
        raise
    session.owns_journal = owns_journal
    return session


def _open_demo(resolved: ResolvedProfile, journal: RequestJournal) -> ConsoleSession:
    demo = DemoBackend()
    profile = demo.profile(resolved.settings)
    api = JournaledAgentApi(make_client(demo.credentials, profile), journal, DEMO_PROFILE)
    spec = instance_spec(profile)
    created = api.call(api.target("", spec.user_id), spec.as_request())
    instance_id = (created.data or {}).get("AgentInstanceId") if created.ok else None
    if not instance_id:
        demo.close()
        raise DemoStartFailed(f"the demo simulator did not create an instance: {created.explanation()}")
    profile = dataclasses.replace(profile, agent_instance_id=instance_id)
    return ConsoleSession(DEMO_PROFILE, profile, api, journal, demo)
