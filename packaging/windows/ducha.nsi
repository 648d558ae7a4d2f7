; 督查台账 — Windows 10/11 installer (NSIS 3, Unicode). Per-user: no administrator rights needed.
;
; Build (packaging\windows\build.ps1 does all of this):
;   makensis /DVERSION=0.1.0 /DSRCDIR=<the one-folder build dist\督查台账> /DOUTFILE=<…\督查台账-安装-0.1.0.exe> ducha.nsi
; Installs to %LOCALAPPDATA%\Programs\督查台账, adds Start-menu and desktop shortcuts in Chinese and an uninstaller
; (Settings → Apps, registered under HKCU). The uninstaller removes the program folder and the shortcuts only:
; the clerk's ledgers, backups and settings (%LOCALAPPDATA%\DuchaShi\DuchaTaizhang, and wherever they saved ledgers)
; are never touched.
Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "pass the version: makensis /DVERSION=x.y.z …"
!endif
!ifndef SRCDIR
  !define SRCDIR "..\..\dist\督查台账"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\督查台账-安装-${VERSION}.exe"
!endif
!ifndef ICON
  !define ICON "..\..\resources\icons\app.ico"
!endif

!define APPNAME "督查台账"
!define APPEXE "督查台账.exe"
!define APPKEY "DuchaTaizhang"
!define UNINSTEXE "卸载督查台账.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "Software\${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "区政府督查室"
VIAddVersionKey /LANG=2052 "LegalCopyright" "区政府督查室"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "将在本机为当前用户安装 ${APPNAME} ${VERSION}。$\r$\n$\r$\n不需要管理员权限，不需要联网，也不需要另装 Python。$\r$\n$\r$\n点“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APPEXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开 ${APPNAME}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将删除 ${APPNAME} 程序和快捷方式。您的台账、备份和设置不会被删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  SetShellVarContext current          ; Start menu and desktop of this user, not all users
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "${APPNAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; an older version's program files go first (never anything outside the program folder)
  IfFileExists "$INSTDIR\${APPEXE}" 0 +2
    RMDir /r "$INSTDIR\_internal"
  File /r "${SRCDIR}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTEXE}"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${APPEXE}" "" "$INSTDIR\${APPEXE}" 0
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\${UNINSTEXE}"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${APPEXE}" "" "$INSTDIR\${APPEXE}" 0

  WriteRegStr HKCU "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "区政府督查室"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${APPEXE}"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\${UNINSTEXE}"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTEXE}" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  Delete "$DESKTOP\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  ; the program folder only, and only when it is ours (it holds the program): a folder chosen by mistake, such as
  ; Documents, is never emptied. The user data folder is elsewhere and is not touched.
  IfFileExists "$INSTDIR\${APPEXE}" 0 +4
    RMDir /r "$INSTDIR\_internal"
    Delete "$INSTDIR\${APPEXE}"
    Delete "$INSTDIR\${UNINSTEXE}"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPKEY}"
SectionEnd
