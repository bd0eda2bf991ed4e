# Builds dist\ptt-app-<version>-setup.exe on Windows: PyInstaller bundle from the shared spec, then Inno
# Setup. Needs Python 3.11+, Inno Setup 6 (ISCC.exe on PATH) and ImageMagick (magick.exe) for the .ico.
# Not runnable on the project's Linux machines.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$version = python -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"
python -m venv .venv
.venv\Scripts\python -m pip install -q -e ".[packaging]"
New-Item -ItemType Directory -Force build\icons | Out-Null
magick -background none resources\ptt-app.svg -define icon:auto-resize=256,64,48,32,16 build\icons\ptt-app.ico
.venv\Scripts\python -m PyInstaller --noconfirm --distpath dist --workpath build packaging\ptt-app.spec
ISCC.exe "/DAppVersion=$version" packaging\windows\ptt-app.iss
Write-Host "built dist\ptt-app-$version-setup.exe"
