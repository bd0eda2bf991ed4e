"""What a run of the console needs, assembled once: profile, credentials, and the demo simulator."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from ptt_app.api.http_client import AgentApiClient
from ptt_app.api.types import ApiResult, Credentials, InstanceSpec
from ptt_app.diagnostics.app_log import register_secret
from ptt_app.session.demo import (
    DEMO_OWN_AGENT_STREAM_ID,
    DEMO_OWN_AGENT_USER_ID,
    DEMO_PROFILE,
    DemoBackend,
    DemoStartFailed,
)
from ptt_app.store.credentials import KeyringCredentialStore
from ptt_app.store.journal import RequestJournal
from ptt_app.store.paths import settings_path
from ptt_app.store.settings import (
    AppSettings,
    InvalidSettings,
    ProfileSettings,
    SettingsStore,
    validate_profile,
)
from ptt_app.talk.journaled import CallJournal, CallTarget
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
        agent_user_id=profile.agent_user_id,
        user_stream_id=profile.user_stream_id,
        interrupt_mode=profile.interrupt_mode,
        max_idle_time_s=profile.max_idle_time_s,
    )


def make_client(credentials: Credentials, profile: ProfileSettings) -> AgentApiClient:
    """A client for one profile's endpoint and timeouts; used by exactly one sender thread."""
    return AgentApiClient(
        credentials,
        profile.endpoint,
        connect_timeout_s=profile.connect_timeout_s,
        read_timeout_s=profile.read_timeout_s,
    )


@dataclass
class ConsoleSession:
    """Everything one run talks through: the profile, its credentials, and the demo if it is one."""

    profile_name: str
    profile: ProfileSettings
    credentials: Credentials
    demo: DemoBackend | None = None
    warnings: tuple[str, ...] = ()

    @property
    def app_id(self) -> int:
        """The AppId calls are signed for."""
        return self.credentials.app_id

    def new_client(self) -> AgentApiClient:
        """A client of this session for one sender thread."""
        return make_client(self.credentials, self.profile)

    def target(self, agent_instance_id: str | None = None, user_id: str | None = None) -> CallTarget:
        """The journal key of calls on an instance and user (the profile's by default)."""
        instance = self.profile.agent_instance_id if agent_instance_id is None else agent_instance_id
        user = self.profile.user_id if user_id is None else user_id
        return CallTarget(self.profile_name, self.app_id, instance, user)

    def sequence_source(self, journal: RequestJournal) -> SequenceSource:
        """A Sequence source above everything this journal ever used for the profile's instance and user."""
        target = self.target()
        return SequenceSource(journal.max_sequence(self.app_id, target.agent_instance_id, target.user_id))

    def close(self) -> None:
        """Stop the demo simulator, if any."""
        if self.demo is not None:
            self.demo.close()


def open_session(
    options: ConsoleOptions, credential_store: KeyringCredentialStore, journal: RequestJournal
) -> ConsoleSession:
    """Open a run: the demo when asked, else the profile's keyring credentials (CredentialError if absent)."""
    resolved = resolve_profile(options)
    if options.demo:
        return _open_demo(resolved, CallJournal(journal))
    credentials = credential_store.load(resolved.name)
    register_secret(credentials.server_secret)
    return ConsoleSession(resolved.name, resolved.settings, credentials, warnings=resolved.warnings)


def _open_demo(resolved: ResolvedProfile, journal: CallJournal) -> ConsoleSession:
    demo = DemoBackend()
    profile = demo.profile(resolved.settings)
    session = ConsoleSession(DEMO_PROFILE, profile, demo.credentials, demo, resolved.warnings)
    spec = dataclasses.replace(instance_spec(profile), agent_stream_id=DEMO_OWN_AGENT_STREAM_ID,
                               agent_user_id=DEMO_OWN_AGENT_USER_ID)
    created = _send_now(session, journal, session.target("", spec.user_id), spec)
    instance_id = (created.data or {}).get("AgentInstanceId") if created.ok else None
    if not isinstance(instance_id, str) or not instance_id:
        demo.close()
        raise DemoStartFailed(f"the demo simulator did not create an instance: {created.explanation()}")
    session.profile = dataclasses.replace(profile, agent_instance_id=instance_id)
    return session


def _send_now(session: ConsoleSession, journal: CallJournal, target: CallTarget, spec: InstanceSpec) -> ApiResult:
    # Opening the demo is one blocking call on the opening thread, journaled like every other call.
    request = spec.as_request()
    row_id = journal.begin(target, request, time.time())
    client = session.new_client()
    try:
        result = client.send(request)
    finally:
        client.close()
    journal.finish(row_id, result)
    return result
