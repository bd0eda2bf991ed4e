"""The RTC room on the simulator: where the real user is, 410001046, MaxIdleTime, and the control request."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests
from test_sim_calls import APP_ID, CLIENT_TIMEOUT_S, SECRET, SimCaller, SteppedClock, create_body, signed_query

from ptt_app.api import codes
from ptt_app.api.signing import signed_params
from ptt_app.sim import DEMO_APP_ID, DEMO_SERVER_SECRET, AgentApiSimulator, SimConfig, UserState

pytestmark = pytest.mark.timeout(20)


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()


@pytest.fixture
def sim(clock: SteppedClock) -> Iterator[AgentApiSimulator]:
    with AgentApiSimulator(SimConfig(app_id=APP_ID, server_secret=SECRET), monotonic=clock) as simulator:
        yield simulator


@pytest.fixture
def api(sim: AgentApiSimulator) -> Iterator[SimCaller]:
    caller = SimCaller(sim)
    with caller.http:
        yield caller


def test_a_publishing_user_can_start_listening(api):
    instance = api.create()

    assert api.start(instance, 1)["Code"] == codes.SUCCESS


@pytest.mark.parametrize("state", [UserState.SILENT, UserState.ABSENT])
def test_start_listening_fails_with_410001046_unless_the_user_publishes(sim, api, state):
    instance = api.create(user_id="alice")
    sim.set_user_state(state, instance)

    answer = api.start(instance, 1)

    assert answer["Code"] == codes.USER_NOT_PUBLISHING == 410001046
    assert "alice" in answer["Message"] and "publishing" in answer["Message"]
    assert api.status(instance) == "IDLE"
    [start] = [record for record in sim.received() if record.action == "StartListening"]
    assert not start.acted and start.code == codes.USER_NOT_PUBLISHING


def test_stop_listening_does_not_need_the_user_publishing(sim, api):
    instance = api.create()
    api.start(instance, 1)
    sim.set_user_state("silent", instance)

    assert api.stop(instance, 2)["Code"] == codes.SUCCESS


def test_a_user_who_starts_publishing_can_then_start_listening(sim, api):
    instance = api.create()
    sim.set_user_state("silent", instance)
    api.start(instance, 1)

    sim.set_user_state("publishing", instance)

    assert api.start(instance, 2)["Code"] == codes.SUCCESS


def test_another_user_id_is_not_in_the_room_unless_put_there(sim, api):
    instance = api.create(user_id="alice")

    refused = api.start(instance, 1, UserId="bob")
    sim.set_user_state("publishing", instance, user_id="bob")
    accepted = api.start(instance, 2, UserId="bob")

    assert refused["Code"] == codes.USER_NOT_PUBLISHING
    assert accepted["Code"] == codes.SUCCESS


def test_the_default_user_state_is_a_setting(clock):
    config = SimConfig(APP_ID, SECRET, user_state="silent")
    with AgentApiSimulator(config, monotonic=clock) as sim, requests.Session() as http:
        api = SimCaller(sim, http)
        instance = api.create()

        assert sim.instance(instance).user_state == "silent"
        assert api.start(instance, 1)["Code"] == codes.USER_NOT_PUBLISHING


def test_setting_the_state_of_every_instance_also_applies_to_later_ones(sim, api):
    earlier = api.create()

    changed = sim.set_user_state("absent")
    later = api.create()

    assert changed == [earlier]
    assert sim.instance(earlier).user_state == sim.instance(later).user_state == "absent"


def test_an_absent_user_gets_the_instance_deleted_after_max_idle_time(sim, api, clock):
    instance = api.create(AdvancedConfig={"CommunicationMode": 2, "MaxIdleTime": 10})
    sim.set_user_state("absent", instance)

    clock.advance(9.9)
    still_there = api.status(instance)
    clock.advance(0.1)
    answer = api.on("QueryAgentInstanceStatus", instance)

    assert still_there == "IDLE"
    assert answer["Code"] == codes.INSTANCE_NOT_FOUND and "MaxIdleTime" in answer["Message"]
    assert sim.instances() == []


def test_max_idle_time_defaults_to_120_seconds(sim, api, clock):
    instance = api.create()
    sim.set_user_state("absent", instance)

    clock.advance(119)
    assert api.status(instance) == "IDLE"
    clock.advance(1)

    assert api.start(instance, 1)["Code"] == codes.INSTANCE_NOT_FOUND


def test_a_silent_user_is_in_the_room_so_the_instance_stays(sim, api, clock):
    instance = api.create(AdvancedConfig={"CommunicationMode": 2, "MaxIdleTime": 10})
    sim.set_user_state("silent", instance)

    clock.advance(3600)

    assert api.status(instance) == "IDLE"


def test_a_user_back_in_the_room_before_max_idle_time_resets_the_count(sim, api, clock):
    instance = api.create(AdvancedConfig={"CommunicationMode": 2, "MaxIdleTime": 10})
    sim.set_user_state("absent", instance)
    clock.advance(8)
    sim.set_user_state("publishing", instance)
    sim.set_user_state("absent", instance)

    clock.advance(8)

    assert api.status(instance) == "IDLE"


def test_an_instance_created_with_the_user_absent_expires_too(clock):
    config = SimConfig(APP_ID, SECRET, user_state="absent")
    with AgentApiSimulator(config, monotonic=clock) as sim:
        instance = sim.create_instance(max_idle_time_s=10)
        clock.advance(10)

        assert sim.instance(instance) is None


def control(sim: AgentApiSimulator, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, sim.base_url + path, json=body, timeout=CLIENT_TIMEOUT_S)


def test_the_control_request_changes_the_user_state_of_one_instance(sim, api):
    instance, other = api.create(), api.create()

    response = control(sim, "POST", "/_sim/user-state", {"State": "silent", "AgentInstanceId": instance})

    assert response.status_code == 200
    assert response.json() == {"State": "silent", "AgentInstanceIds": [instance]}
    assert api.start(instance, 1)["Code"] == codes.USER_NOT_PUBLISHING
    assert api.start(other, 1)["Code"] == codes.SUCCESS


def test_the_control_request_without_an_instance_changes_every_instance(sim, api):
    instances = [api.create(), api.create()]

    response = control(sim, "POST", "/_sim/user-state", {"State": "absent"})

    assert sorted(response.json()["AgentInstanceIds"]) == sorted(instances)
    assert {sim.instance(instance).user_state for instance in instances} == {"absent"}


@pytest.mark.parametrize(
    ("body", "status"),
    [({"State": "asleep"}, 400), ({"State": "silent", "AgentInstanceId": "nope"}, 404), ([1], 400)],
)
def test_a_bad_control_request_is_refused_with_a_message(sim, body, status):
    response = control(sim, "POST", "/_sim/user-state", body)

    assert response.status_code == status and response.json()["Message"]


def test_control_requests_are_not_api_calls_and_are_not_recorded(sim, api):
    instance = api.create()
    sim.clear_received()

    control(sim, "POST", "/_sim/user-state", {"State": "silent"})
    listing = control(sim, "GET", "/_sim/instances").json()

    assert sim.received() == []
    assert [item["AgentInstanceId"] for item in listing["Instances"]] == [instance]
    assert listing["Instances"][0]["UserState"] == "silent"


def test_an_api_call_to_a_control_path_is_not_served_as_the_api(sim):
    response = requests.post(sim.base_url + "/_sim/user-state", params=signed_query("StartListening"),
                             json={"AgentInstanceId": "x"}, timeout=CLIENT_TIMEOUT_S)

    assert response.status_code == 400 and "Code" not in response.json()
    assert sim.received() == []


def test_the_command_line_sets_the_default_user_state():
    process = subprocess.Popen(
        [sys.executable, "-m", "ptt_app.sim", "--port", "0", "--user-state", "silent"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        base_url = process.stdout.readline().split()[2]
        listing = requests.get(base_url + "/_sim/instances", timeout=CLIENT_TIMEOUT_S)
        query = signed_params(DEMO_APP_ID, DEMO_SERVER_SECRET).as_query("CreateAgentInstance")
        created = requests.post(base_url + "/", params=query, json=create_body(), timeout=CLIENT_TIMEOUT_S).json()
        instances = requests.get(base_url + "/_sim/instances", timeout=CLIENT_TIMEOUT_S).json()["Instances"]
    finally:
        process.terminate()
        process.communicate(timeout=5)

    assert listing.json() == {"Instances": []} and created["Code"] == codes.SUCCESS
    assert [item["UserState"] for item in instances] == ["silent"]
