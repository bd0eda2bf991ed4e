"""ptt_app: a push-to-talk operator console for ZEGOCLOUD AI agents in walkie-talkie mode."""

__version__ = "0.1.0"
