"""Texts that modules outside gui/ hand to the window but do not mark for the catalogue yet, marked here so
pyside6-lupdate extracts them and translated() finds them. Each module's owner is asked to mark its own texts
(QT_TR_NOOP and named placeholders, as api/codes.py does); then its entries here go.

Nothing imports this module: it only feeds the catalogue. tests/test_i18n.py checks that each entry still
matches what its module produces."""

from ptt_app.gui.i18n import QT_TR_NOOP

# store/credentials.py: CredentialsMissing, KeyringUnavailable, KeyringLocked and InvalidCredential messages.
CREDENTIAL_TEXTS = (
    QT_TR_NOOP("no {missing} saved in the keyring for profile {profile}"),
    QT_TR_NOOP("AppId and ServerSecret"),
    QT_TR_NOOP("no system keyring is available"),
    QT_TR_NOOP("the keyring backend {name} would keep the secret in plain text or nowhere"),
    QT_TR_NOOP("{setting} names a keyring backend that cannot be loaded ({error})"),
    QT_TR_NOOP("the keyring configuration {path}"),
    QT_TR_NOOP("the keyring could not be read: {error}"),
    QT_TR_NOOP("the keyring could not be written: {error}"),
    QT_TR_NOOP("the keyring is locked"),
    QT_TR_NOOP("the keyring could not be opened"),
    QT_TR_NOOP("the keyring failed: {error}"),
    QT_TR_NOOP("is empty"),
    QT_TR_NOOP("must be a whole number from 1 to {limit}, got {value}"),
    QT_TR_NOOP("must be from 1 to {limit} (an unsigned 32-bit number)"),
    QT_TR_NOOP("contains whitespace (copy it again from the ZEGOCLOUD console)"),
    QT_TR_NOOP("must be {length} characters, got {count}"),
    QT_TR_NOOP("must contain only letters and digits"),
)

# talk/engine.py: NOT_CONNECTED, and the reason a superseded request was not sent (the request log shows it).
ENGINE_TEXTS = (
    QT_TR_NOOP("not connected: no session is open (check Settings); nothing was sent"),
    QT_TR_NOOP("superseded by {action} Sequence {sequence} while the server was busy; not sent"),
)
