"""Short audio cues on press, confirmed listening and release, generated in code (Qt-free)."""

from ptt_app.cues.player import DEFAULT_VOLUME, CuePlayer, CueStatus, SilentCuePlayer, open_cue_player
from ptt_app.cues.tones import Cue

__all__ = ["DEFAULT_VOLUME", "Cue", "CuePlayer", "CueStatus", "SilentCuePlayer", "open_cue_player"]
