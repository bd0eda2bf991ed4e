; Inno Setup 6 script over the PyInstaller one-folder bundle (dist\ptt-app).
; Cannot be built on the project's Linux machines: build on Windows with packaging\windows\build.ps1,
; which reads the version from pyproject.toml (the same source as the spec and the .deb).
#ifndef AppVersion
  #error AppVersion must be given: ISCC /DAppVersion=x.y.z (build.ps1 does this)
#endif

[Setup]
AppId={{6A0E3C52-4F5B-4B8E-9D57-2F1C8B7B9E41}
AppName=PTT Console
AppVersion={#AppVersion}
AppVerName=PTT Console {#AppVersion}
AppPublisher=ptt_app developers
VersionInfoVersion={#AppVersion}
VersionInfoProductName=PTT Console
VersionInfoDescription=Push-to-talk console for ZEGOCLOUD AI agents
DefaultDirName={autopf}\PTT Console
DefaultGroupName=PTT Console
; Per-user install without admin rights is offered in a dialog; all users needs elevation.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=ptt-app-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\ptt-app.ico
UninstallDisplayIcon={app}\ptt-app.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\ptt-app\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\PTT Console"; Filename: "{app}\ptt-app.exe"
Name: "{group}\PTT Console (demo)"; Filename: "{app}\ptt-app.exe"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,PTT Console}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\PTT Console"; Filename: "{app}\ptt-app.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\ptt-app.exe"; Description: "{cm:LaunchProgram,PTT Console}"; Flags: nowait postinstall skipifsilent
