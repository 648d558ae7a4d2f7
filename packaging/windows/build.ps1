# 督查台账 — build the Windows one-folder app and its installer on a Windows 10/11 (x64) machine.
#
# Needs: Python 3.11 (x64, from python.org; "py -3.11" must work) and NSIS 3 (nsis.sourceforge.io; makensis on PATH or
# in its default folder). Internet is needed here, once, for pip; the office PCs that run the installer need none.
# Run from the project root in PowerShell:
#     powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# (This file is UTF-8 with a byte-order mark so that Windows PowerShell 5.1 reads its Chinese names correctly.)
# Result: dist\督查台账\ (the one-folder app) and dist\督查台账-安装-<version>.exe (the installer to hand out).
$ErrorActionPreference = "Stop"
$root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $root

$version = (Select-String -Path pyproject.toml -Pattern '^version = "(.+)"').Matches[0].Groups[1].Value
Write-Host "督查台账 $version"

if (-not (Test-Path .venv-build)) { py -3.11 -m venv .venv-build }
$py = Join-Path $root ".venv-build\Scripts\python.exe"
& $py -m pip install --upgrade pip
& $py -m pip install ".[build]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& $py -m PyInstaller --noconfirm packaging\ducha.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$app = Join-Path $root "dist\督查台账"
# a windowed app: wait for it and read its exit code
$smoke = Start-Process -FilePath (Join-Path $app "督查台账.exe") -ArgumentList "--demo", "--smoke-test" -Wait -PassThru
if ($smoke.ExitCode -ne 0) { throw "the built app did not start (督查台账.exe --demo --smoke-test)" }

$makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $makensis) { $makensis = "${env:ProgramFiles(x86)}\NSIS\makensis.exe" }
if (-not (Test-Path $makensis)) { throw "makensis not found: install NSIS 3 from https://nsis.sourceforge.io" }
$out = Join-Path $root "dist\督查台账-安装-$version.exe"
& $makensis /WX "/DVERSION=$version" "/DSRCDIR=$app" "/DOUTFILE=$out" packaging\windows\ducha.nsi
if ($LASTEXITCODE -ne 0) { throw "makensis failed" }
Write-Host "installer: $out"
