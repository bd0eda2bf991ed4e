# Builds dist\ptt-app-<version>-setup.exe on Windows: the PyInstaller bundle from the shared spec, then
# Inno Setup over it. NOT RUNNABLE ON THE PROJECT'S LINUX MACHINES, and so never run by CI.
# Needs: Python 3.11+ and Inno Setup 6.3+ (ISCC.exe on PATH or in its default folder). The .ico is
# made by the spec itself (packaging\make_icons.py, Qt's SVG renderer): no ImageMagick needed.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Signed release: set WINDOWS_SIGN_THUMBPRINT (SHA-1 thumbprint of the code-signing certificate in
# the certificate store; never written in this file) and have SignTool (Windows SDK) on PATH or in its
# default folder. The programs are signed before Inno Setup packs them, Setup and its uninstaller by
# ISCC as it compiles (the .iss SignTool directive), and every signature is verified.
# A reproducible release installs the pinned packages first:
#   python -m venv .venv; .venv\Scripts\python -m pip install --require-hashes --only-binary :all: -r packaging\requirements-lock.txt
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
Set-Location (Join-Path $PSScriptRoot "..\..")

# Native programs do not stop the script on failure by themselves (Windows PowerShell 5.1).
function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "build.ps1: $What failed (exit $LASTEXITCODE)" }
}

$python = if ($env:PYTHON) { $env:PYTHON } else { "python" }
# pyproject.toml's version, checked against the AppStream <release> (packaging/release_version.py).
$version = (& $python packaging\release_version.py)
if ($LASTEXITCODE -ne 0 -or -not $version) { throw "build.ps1: no consistent release version (Python 3.11+ needed; see above)" }
$version = $version.Trim()
# Windows version resources take only up to four numbers: 1.2.0rc1 -> 1.2.0.
$numeric = [regex]::Match($version, '^\d+(\.\d+){0,3}').Value

if (-not (Test-Path .venv\Scripts\python.exe)) { Invoke-Checked "python -m venv" { & $python -m venv .venv } }
Invoke-Checked "pip install" { .venv\Scripts\python -m pip install -q -e ".[packaging]" }
Invoke-Checked "PyInstaller" { .venv\Scripts\python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build packaging\ptt-app.spec }

$iscc = Get-Command ISCC.exe -ErrorAction SilentlyContinue
$isccPath = if ($iscc) { $iscc.Source } else { Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $isccPath)) { throw "build.ps1: Inno Setup 6 (ISCC.exe) not found" }
$setup = "dist\ptt-app-$version-setup.exe"
$programs = @("dist\ptt-app\ptt-app.exe", "dist\ptt-app\ptt-app-cli.exe")

if ($env:WINDOWS_SIGN_THUMBPRINT) {
    $found = Get-Command signtool.exe -ErrorAction SilentlyContinue
    $signtool = if ($found) { $found.Source } else {
        Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" -ErrorAction SilentlyContinue |
            Sort-Object FullName | Select-Object -Last 1 -ExpandProperty FullName
    }
    if (-not $signtool) { throw "build.ps1: WINDOWS_SIGN_THUMBPRINT is set but SignTool (Windows SDK) was not found" }
    $timestamp = if ($env:WINDOWS_SIGN_TIMESTAMP_URL) { $env:WINDOWS_SIGN_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
    $signArgs = "sign /fd SHA256 /tr $timestamp /td SHA256 /sha1 $env:WINDOWS_SIGN_THUMBPRINT"
    # 1. The programs, before Inno Setup packs them: what lands in Program Files is signed.
    foreach ($program in $programs) {
        Invoke-Checked "signtool sign $program" { & $signtool $signArgs.Split(" ") $program }
        Invoke-Checked "signtool verify $program" { & $signtool verify /pa $program }
    }
    # 2. Setup and its uninstaller, signed by ISCC while it compiles (SignTool=signtool in the .iss).
    Invoke-Checked "ISCC (signed)" { & $isccPath "/DAppVersion=$version" "/DNumericVersion=$numeric" "/DSign=1" "/Ssigntool=`"$signtool`" $signArgs `$f" packaging\windows\ptt-app.iss }
    # 3. The finished installer's signature, as Windows will check it.
    Invoke-Checked "signtool verify $setup" { & $signtool verify /pa $setup }
} else {
    Write-Warning "WINDOWS_SIGN_THUMBPRINT is not set: building an UNSIGNED installer (SmartScreen will warn operators)"
    Invoke-Checked "ISCC" { & $isccPath "/DAppVersion=$version" "/DNumericVersion=$numeric" packaging\windows\ptt-app.iss }
}
Write-Host "built $setup"
