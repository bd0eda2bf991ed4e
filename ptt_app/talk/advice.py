"""What an answer means for the operator, with the names of their user, room and instance filled in.

The window's banner and the command line say the same words, so the advice lives here, Qt-free. The texts are
templates with named values, marked for the window's catalogue: the window translates the finished sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ptt_app.api import codes
from ptt_app.api.types import ApiResult
from ptt_app.talk.intents import answer_was_lost, confirms, is_outdated
from ptt_app.translatable import QT_TR_NOOP


class Remedy(str, Enum):
    """The one action that fixes a problem, so the window can offer it as a button."""

    CREATE_INSTANCE = "create_instance"
    START_VOICE_CLIENT = "start_voice_client"


@dataclass(frozen=True)
class Advice:
    """One sentence for the operator, and the action that fixes it, if there is one."""

    text: str
    remedy: Remedy | None = None


@dataclass(frozen=True)
class TalkContext:
    """Who and where the operator talks: the names advice quotes."""

    agent_instance_id: str
    user_id: str
    rtc_room_id: str


def advise(result: ApiResult, context: TalkContext) -> Advice | None:
    """Advice for a failed answer whose cause is in the operator's hands; None for others."""
    if confirms(result):
        return None
    user = context.user_id or QT_TR_NOOP("the instance's user")
    room = context.rtc_room_id or QT_TR_NOOP("the instance's room")
    instance = context.agent_instance_id or QT_TR_NOOP("(not set)")
    if result.code == codes.USER_NOT_PUBLISHING:
        return Advice(QT_TR_NOOP("User {user} is not publishing audio in room {room}: start their voice client, "
                                 "then press again.").format(user=user, room=room), Remedy.START_VOICE_CLIENT)
    if result.code == codes.NOT_WALKIE_TALKIE:
        return Advice(QT_TR_NOOP("Instance {instance} is not in walkie-talkie mode, so it cannot be told when to "
                                 "listen: create a walkie-talkie instance.").format(instance=instance),
                      Remedy.CREATE_INSTANCE)
    if result.code == codes.INSTANCE_NOT_FOUND:
        return Advice(QT_TR_NOOP("Instance {instance} is gone: it was deleted, or its user was away from the room for "
                                 "longer than its maximum idle time. Create a new instance.").format(instance=instance),
                      Remedy.CREATE_INSTANCE)
    if answer_was_lost(result):
        return Advice(QT_TR_NOOP("The first attempt reached the server, but its answer was lost, so whether it "
                                 "worked is not known."))
    if is_outdated(result):
        return Advice(QT_TR_NOOP("Ignored (outdated): the agent had already received a newer press or release."))
    return None

