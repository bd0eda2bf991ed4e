"""ptt_app: a push-to-talk operator console for ZEGOCLOUD AI agents in walkie-talkie mode."""

from importlib.metadata import PackageNotFoundError, version

try:
    # pyproject.toml's version is the only one: installs, wheels and the PyInstaller bundle carry it as
    # package metadata (the bundle copies it), so nothing here can fall out of step with a release.
    __version__ = version("ptt-app")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"
