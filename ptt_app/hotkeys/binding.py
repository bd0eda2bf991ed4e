"""The push-to-talk binding: one key or mouse side button, optionally with modifiers, as settings spell it.

Text form: ``[Modifier+]...Key``, e.g. ``F13``, ``Space``, ``Ctrl+Shift+P``, ``Mouse8`` (``Button8`` is
accepted too). Names are case-insensitive on input; ``str(binding)`` is the canonical spelling to save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ptt_app.hotkeys.keynames import KEY_ALIASES, KEYS, MODIFIER_ALIASES, MODIFIERS, MOUSE_BUTTONS, KeyName
from ptt_app.translatable import QT_TR_NOOP

MAX_BINDING_CHARS = 40
_KEYS_BY_LOWER = {name.lower(): name for name in KEYS}
KEYS_TEXT = QT_TR_NOOP("A-Z, 0-9, F1-F24, Space, Return, Enter, Tab, Backspace, Insert, Home, End, PgUp, PgDown, "
                       "Pause, ScrollLock, CapsLock, Menu, or a mouse side button {first}-{last}").format(
                           first=f"Mouse{MOUSE_BUTTONS[0]}", last=f"Mouse{MOUSE_BUTTONS[-1]}")


class InputKind(Enum):
    """What the operator holds down."""

    KEY = "key"
    MOUSE = "mouse"


class InvalidBinding(ValueError):
    """The text does not name a key the app can bind; the message says what is wrong."""


@dataclass(frozen=True)
class Binding:
    """A parsed binding; build it with parse_binding()."""

    kind: InputKind
    key: str = ""  # a KEYS name, for InputKind.KEY
    button: int = 0  # an X11 button number, for InputKind.MOUSE
    modifiers: frozenset[str] = field(default_factory=frozenset)

    @property
    def key_name(self) -> KeyName:
        """The key's row in the key table (keys only)."""
        if self.kind is not InputKind.KEY:
            raise ValueError(f"{self} is a mouse button, not a key")
        return KEYS[self.key]

    @property
    def ordered_modifiers(self) -> tuple[str, ...]:
        """The modifiers in canonical order (Ctrl, Alt, Shift, Super)."""
        return tuple(m for m in MODIFIERS if m in self.modifiers)

    def __str__(self) -> str:
        main = self.key if self.kind is InputKind.KEY else f"Mouse{self.button}"
        return "+".join((*self.ordered_modifiers, main))


def parse_binding(text: str) -> Binding:
    """The binding a settings text names; InvalidBinding says why it names none."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidBinding(QT_TR_NOOP("must name a key, like F13 or Space; got {value}").format(value=repr(text)))
    if len(text) > MAX_BINDING_CHARS:
        raise InvalidBinding(QT_TR_NOOP("must be at most {limit} characters, got {length}").format(
            limit=MAX_BINDING_CHARS, length=len(text)))
    *modifier_words, main = [part.strip() for part in text.strip().split("+")]
    modifiers = frozenset(_modifier(word) for word in modifier_words)
    if len(modifiers) != len(modifier_words):
        raise InvalidBinding(QT_TR_NOOP("names a modifier twice: {value}").format(value=repr(text)))
    button = _mouse_button(main)
    if button is not None:
        return Binding(InputKind.MOUSE, button=button, modifiers=modifiers)
    return Binding(InputKind.KEY, key=_key(main), modifiers=modifiers)


def binding_problem(text: str) -> str | None:
    """Why a settings text is not a valid binding, or None when it is. Never raises."""
    try:
        parse_binding(text)
    except InvalidBinding as error:
        return str(error)
    return None


def _modifier(word: str) -> str:
    name = MODIFIER_ALIASES.get(word.lower())
    if name is None:
        raise InvalidBinding(QT_TR_NOOP("{value} is not a modifier (Ctrl, Alt, Shift or Super)").format(value=repr(word)))
    return name


def _key(word: str) -> str:
    lowered = word.lower()
    name = _KEYS_BY_LOWER.get(lowered) or KEY_ALIASES.get(lowered)
    if name is None:
        if lowered in MODIFIER_ALIASES:
            raise InvalidBinding(QT_TR_NOOP("a modifier alone ({modifier}) cannot be the key; bind a key, optionally "
                                            "with it").format(modifier=word))
        raise InvalidBinding(QT_TR_NOOP("{value} is not a key the app can bind; use one of {keys}").format(
            value=repr(word), keys=KEYS_TEXT))
    return name


def _mouse_button(word: str) -> int | None:
    lowered = word.lower()
    for prefix in ("mouse", "button"):
        digits = lowered[len(prefix):]
        if lowered.startswith(prefix) and digits.isascii() and digits.isdigit():
            number = int(digits)
            if number not in MOUSE_BUTTONS:
                raise InvalidBinding(QT_TR_NOOP("only mouse side buttons can be bound ({first}-{last}); got {value}")
                                     .format(first=f"Mouse{MOUSE_BUTTONS[0]}", last=f"Mouse{MOUSE_BUTTONS[-1]}",
                                             value=word))
            return number
    return None
