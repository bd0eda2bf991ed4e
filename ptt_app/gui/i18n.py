"""The window's language: Qt's translators for it, tr() for the window's own words, and translated() for the
finished sentences that Qt-free modules hand over (their templates are marked there with QT_TR_NOOP).

The catalogue is resources/translations/ptt_app_<language>.ts, compiled to .qm (packaging/update_translations.py).
Every message has the empty context: pyside6-lupdate gives a bare tr() and QT_TR_NOOP() that context."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

CONTEXT = ""
CATALOGUE = "ptt_app"
ENGLISH = "en"
SIMPLIFIED_CHINESE = "zh_CN"
TRANSLATED_LANGUAGES = (SIMPLIFIED_CHINESE,)
# The catalogues of Qt's own words (standard buttons, the text-field menu), shipped with PySide6.
QT_CATALOGUES = ("qtbase",)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Where a finished text is cut into sentences when no template covers all of it.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-Z“\"(\u2e80-\uffff])")
_MAX_DEPTH = 4


def tr(text: str) -> str:
    """The window's own words in the window's language."""
    return QCoreApplication.translate(CONTEXT, text)


def translations_dir() -> Path:
    """The folder with the .ts sources and compiled .qm catalogues (a real folder in a wheel or bundle)."""
    return Path(str(resources.files("ptt_app.resources").joinpath("translations")))


def window_language(setting: str, system: QLocale | None = None) -> str:
    """The language the window shows for the `language` setting ("system", "en" or "zh_CN")."""
    if setting in TRANSLATED_LANGUAGES or setting == ENGLISH:
        return setting
    locale = system if system is not None else QLocale.system()
    if locale.language() == QLocale.Language.Chinese and locale.script() != QLocale.Script.TraditionalHanScript:
        return SIMPLIFIED_CHINESE
    return ENGLISH


class WindowTranslators:
    """The translators installed on the application for one language; remove() takes them out again."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._installed: list[QTranslator] = []

    def install(self) -> bool:
        """Load and install the app's catalogue and Qt's; True when the app's own catalogue was found."""
        if self.language == ENGLISH:
            _State.language = ENGLISH
            return True
        app = QCoreApplication.instance()
        assert app is not None, "create the QApplication first"
        ours = QTranslator(app)
        found = ours.load(f"{CATALOGUE}_{self.language}", str(translations_dir()))
        candidates = [ours] if found else []
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for catalogue in QT_CATALOGUES:
            translator = QTranslator(app)
            if translator.load(f"{catalogue}_{self.language}", qt_dir):
                candidates.append(translator)
        for translator in candidates:
            QCoreApplication.installTranslator(translator)
            self._installed.append(translator)
        _State.language = self.language if found else ENGLISH
        return found

    def remove(self) -> None:
        """Uninstall them (tests switch languages in one process)."""
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed.clear()
        _State.language = ENGLISH

    @property
    def qt_catalogue_loaded(self) -> bool:
        """Whether Qt's own words (standard dialog buttons) are translated too."""
        return len(self._installed) > 1


class _State:
    """The language installed now: English needs no work in translated()."""

    language = ENGLISH


def current_language() -> str:
    """The language whose translators are installed ("en" when none)."""
    return _State.language


def translated(text: str) -> str:
    """A finished English text from a Qt-free module, in the window's language: the whole text if the catalogue
    has it, else the longest template that matches it (its named values translated in turn), else sentence by
    sentence. Parts no template covers (ids, numbers, the server's own Message) stay as they are."""
    if not text or _State.language == ENGLISH:
        return text
    return _translated(text, 0)


def _translated(text: str, depth: int) -> str:
    exact = tr(text)
    if exact != text:
        return exact
    whole = _translated_whole(text, depth)
    if whole is not None and not whole.spans_sentences:
        return whole.text
    sentences = _SENTENCE_END.split(text.strip())
    parts = [_translated_whole(sentence, depth) for sentence in sentences] if len(sentences) > 1 else []
    if parts and all(part is not None for part in parts):
        return _join_sentences([part.text for part in parts if part is not None])
    if whole is not None:
        return whole.text
    if not parts:
        return text
    return _join_sentences([part.text if part is not None else sentence for part, sentence in zip(parts, sentences, strict=True)])


@dataclass(frozen=True)
class _Found:
    """A translation, and whether a template's value in it ran over a sentence end (a weaker match)."""

    text: str
    spans_sentences: bool = False


def _translated_whole(text: str, depth: int) -> _Found | None:
    if depth > _MAX_DEPTH:
        return None
    for variant, ending in _variants(text):
        found = _lookup(variant, depth)
        if found is not None:
            return _Found(found.text + ending, found.spans_sentences)
    return None


def _variants(text: str) -> list[tuple[str, str]]:
    """The text, and the clause it was made from: a sentence is often a marked clause given a capital letter
    and a full stop ("No AppId saved…." from "no {missing} saved…")."""
    stripped = text.strip()
    found = [(stripped, "")]
    body, ending = (stripped[:-1], tr(".")) if stripped.endswith(".") else (stripped, "")
    if ending:
        found.append((body, ending))
    lowered = body[:1].lower() + body[1:]
    if lowered != body:
        found.append((lowered, ending))
    return found


def _lookup(text: str, depth: int) -> _Found | None:
    exact = tr(text)
    if exact != text:
        return _Found(exact)
    if not text:
        return None
    for template in _templates():
        matches = [match for pattern in template.patterns if (match := pattern.fullmatch(text)) is not None]
        target = tr(template.source) if matches else template.source
        if target == template.source:
            continue
        # Two placeholders side by side ("{doing} {path}") split one way or the other: the split whose values
        # the catalogue knows best wins.
        candidates = [_translated_values(match, depth) for match in matches]
        values, translated_count = max(candidates, key=lambda candidate: candidate[1])
        if template.literal_letters or translated_count:
            spans = any(_SENTENCE_END.search(value) for value in matches[0].groupdict().values())
            return _Found(target.format(**values), spans)
    return None


def _translated_values(match: re.Match[str], depth: int) -> tuple[dict[str, str], int]:
    values = {name: _translated(value, depth + 1) for name, value in match.groupdict().items()}
    return values, sum(values[name] != value for name, value in match.groupdict().items())


def _join_sentences(parts: list[str]) -> str:
    joined = parts[0]
    for part in parts[1:]:
        # Chinese sentences follow each other without a space; Latin ones (left as they were) keep one.
        joined += part if _is_wide(joined[-1:]) or _is_wide(part[:1]) else f" {part}"
    return joined


def _is_wide(character: str) -> bool:
    return bool(character) and ord(character) >= 0x2E80


@dataclass(frozen=True)
class _Template:
    source: str
    patterns: tuple[re.Pattern[str], ...]  # shortest values first, then longest
    literal_chars: int
    literal_letters: bool  # False for a pure joint ("{name}: {value}"): used only if it translates a value


@cache
def _templates() -> tuple[_Template, ...]:
    """Every catalogue source with {named} placeholders, most specific (most literal text) first."""
    found = []
    for source in _catalogue_sources():
        names = _PLACEHOLDER.findall(source)
        literal = _PLACEHOLDER.sub("", source)
        if not names or len(set(names)) != len(names) or not literal.strip():
            continue
        pieces = _PLACEHOLDER.split(source)
        patterns = tuple(
            re.compile("".join(re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.+{laziness})"
                               for index, piece in enumerate(pieces)), re.DOTALL)
            for laziness in ("?", ""))
        found.append(_Template(source, patterns, len(literal), any(char.isalpha() for char in literal)))
    return tuple(sorted(found, key=lambda template: -template.literal_chars))


def _catalogue_sources() -> list[str]:
    path = translations_dir() / f"{CATALOGUE}_{SIMPLIFIED_CHINESE}.ts"
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return []
    return [source.text or "" for source in root.iter("source")]
