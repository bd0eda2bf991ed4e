"""The marker of texts the window translates, for modules that may not import Qt.

pyside6-lupdate finds QT_TR_NOOP("...") calls in the source; here the call returns the text unchanged. Such a
text is a template with named placeholders ("... {user} ..."); the window translates the template, then fills
it (ptt_app/gui/i18n.py). The command line shows the English as it is.
"""


def QT_TR_NOOP(text: str) -> str:
    """Marks a text for the translation catalogue; returns it unchanged."""
    return text
