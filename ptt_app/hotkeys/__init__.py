"""Push-to-talk keys outside Qt: global hotkey backends (X11, xdg-desktop-portal, pynput) and the physical key state."""
