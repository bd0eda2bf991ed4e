"""Short audio cues on press, confirmed listening and release."""
