# Builds dist\ptt-app-<version>-setup.exe on Windows: the PyInstaller bundle from the shared spec, then
# Inno Setup over it. NOT RUNNABLE ON THE PROJECT'S LINUX MACHINES, and so never run by CI.
# Needs: Python 3.11+ and Inno Setup 6.3+ (ISCC.exe on PATH or in its default folder). The .ico is
# made by the spec itself (packaging\make_icons.py, Qt's SVG renderer): no ImageMagick needed.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
Set-Location (Join-Path $PSScriptRoot "..\..")

# Native programs do not stop the script on failure by themselves (Windows PowerShell 5.1).
function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "build.ps1: $What failed (exit $LASTEXITCODE)" }
}

$python = if ($env:PYTHON) { $env:PYTHON } else { "python" }
$version = (& $python -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])").Trim()
if ($LASTEXITCODE -ne 0 -or -not $version) { throw "build.ps1: cannot read the version from pyproject.toml (Python 3.11+ needed)" }
# Windows version resources take only up to four numbers: 1.2.0rc1 -> 1.2.0.
$numeric = [regex]::Match($version, '^\d+(\.\d+){0,3}').Value

if (-not (Test-Path .venv\Scripts\python.exe)) { Invoke-Checked "python -m venv" { & $python -m venv .venv } }
Invoke-Checked "pip install" { .venv\Scripts\python -m pip install -q -e ".[packaging]" }
Invoke-Checked "PyInstaller" { .venv\Scripts\python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging\ptt-app.spec }

$iscc = Get-Command ISCC.exe -ErrorAction SilentlyContinue
$isccPath = if ($iscc) { $iscc.Source } else { Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $isccPath)) { throw "build.ps1: Inno Setup 6 (ISCC.exe) not found" }
Invoke-Checked "ISCC" { & $isccPath "/DAppVersion=$version" "/DNumericVersion=$numeric" packaging\windows\ptt-app.iss }

# Signing (identity from the environment, never from this file), before publishing:
#   signtool sign /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 /sha1 $env:WINDOWS_SIGN_THUMBPRINT dist\ptt-app\ptt-app.exe
# and the same for dist\ptt-app-$version-setup.exe after ISCC (or Inno's SignTool= directive).
Write-Host "built dist\ptt-app-$version-setup.exe"
