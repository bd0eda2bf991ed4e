; Inno Setup 6 script over the PyInstaller one-folder bundle (dist\ptt-app).
; CANNOT BE BUILT ON THE PROJECT'S LINUX MACHINES (no Inno Setup there) and so is not checked by CI:
; build on Windows with packaging\windows\build.ps1, which reads the version from pyproject.toml (the
; same source as the spec and the .deb) and passes it as /DAppVersion (and /DNumericVersion).
; Needs Inno Setup 6.3 or later (x64compatible).
; Signing: build.ps1 signs ptt-app.exe and ptt-app-cli.exe with SignTool BEFORE this script packs them,
; and passes /DSign=1 with a sign tool named "signtool" (/Ssigntool=...) so that ISCC signs the
; uninstaller and the finished Setup itself; build.ps1 then verifies Setup's signature.
#ifndef AppVersion
  #error AppVersion must be given: ISCC /DAppVersion=x.y.z (build.ps1 does this)
#endif
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif

[Setup]
; Never change the AppId: it is how an upgrade finds the installed copy and its uninstaller.
AppId={{6A0E3C52-4F5B-4B8E-9D57-2F1C8B7B9E41}
AppName=PTT Console
AppVersion={#AppVersion}
AppVerName=PTT Console {#AppVersion}
AppPublisher=ptt_app developers
VersionInfoVersion={#NumericVersion}
VersionInfoProductVersion={#NumericVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoProductName=PTT Console
VersionInfoCompany=ptt_app developers
VersionInfoDescription=PTT Console setup: push-to-talk console for ZEGOCLOUD AI agents
DefaultDirName={autopf}\PTT Console
DefaultGroupName=PTT Console
DisableProgramGroupPage=yes
; Operators without admin rights choose "only for me" in this dialog and get a per-user install in
; %LOCALAPPDATA%\Programs; "all users" asks for elevation.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=ptt-app-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\ptt-app.ico
UninstallDisplayIcon={app}\ptt-app.exe
UninstallDisplayName=PTT Console
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.11 (the pinned PySide6) supports Windows 10 1809 (build 17763) and later; older Windows gets
; Setup's own "requires Windows 10 version 1809" message instead of a program that cannot start.
MinVersion=10.0.17763
; A running console holds its files: Setup asks Restart Manager to close it before replacing them.
CloseApplications=yes
#ifdef Sign
SignTool=signtool
SignedUninstaller=yes
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade must not keep the previous version's bundle: a Qt plugin or library the new version no
; longer ships would still be loaded from _internal (ignoreversion only replaces files, never removes).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\ptt-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\PTT Console"; Filename: "{app}\ptt-app.exe"
Name: "{group}\PTT Console (demo)"; Filename: "{app}\ptt-app.exe"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,PTT Console}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\PTT Console"; Filename: "{app}\ptt-app.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\ptt-app.exe"; Description: "{cm:LaunchProgram,PTT Console}"; Flags: nowait postinstall skipifsilent

; Settings and the request journal in %APPDATA% / %LOCALAPPDATA% and the credentials in Windows
; Credential Locker stay on uninstall, as operators expect on a reinstall; "ptt-app credentials clear"
; removes the credentials.
