; The Windows installer of Proctor Desk (NSIS 3, Unicode).
;
;   makensis /DVERSION=0.1.0 /DPAYLOAD=..\..\dist\proctor-desk /DOUTFILE=..\..\dist\proctor-desk-0.1.0-setup.exe proctor-desk.nsi
;
; PAYLOAD is PyInstaller's one-folder build (proctor-desk.exe, proctor-desk-cli.exe, _internal\).
; The installer copies it to Program Files, adds a Start-menu entry and an uninstaller, and
; registers the uninstaller with Windows. Uninstalling removes the program only: the records
; (the data folder under %LOCALAPPDATA%\proctor-desk) stay, as they are evidence.

Unicode true
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "VERSION is not defined (makensis /DVERSION=x.y.z)"
!endif
!ifndef PAYLOAD
  !error "PAYLOAD is not defined (the folder dist\proctor-desk)"
!endif
!ifndef OUTFILE
  !define OUTFILE "proctor-desk-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "..\..\resources\icons\proctor-desk.ico"
!endif

!define PRODUCT "Proctor Desk"
!define PRODUCT_ZH "考场违纪违规记录"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ProctorDesk"

!include "MUI2.nsh"
!include "x64.nsh"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show

; The version resource of the installer itself (Properties → Details).
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=2052 "FileDescription" "${PRODUCT} ${PRODUCT_ZH} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PRODUCT}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\proctor-desk.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString KEEP_DATA ${LANG_SIMPCHINESE} "已删除程序。记录数据（%LOCALAPPDATA%\proctor-desk）已保留，作为证据不会被删除。"
LangString KEEP_DATA ${LANG_ENGLISH} "The program was removed. The records (%LOCALAPPDATA%\proctor-desk) are kept: they are evidence and are never deleted by uninstalling."
LangString NEED_64BIT ${LANG_SIMPCHINESE} "本程序需要 64 位 Windows。"
LangString NEED_64BIT ${LANG_ENGLISH} "Proctor Desk needs 64-bit Windows."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(NEED_64BIT)"
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Proctor Desk" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; A reinstall replaces the program files whole (an upgrade leaves no stale module behind).
  RMDir /r "$INSTDIR\_internal"
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\proctor-desk.exe" "" "$INSTDIR\proctor-desk.exe" 0
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT} 自检 (self-test).lnk" "$SYSDIR\cmd.exe" '/k ""$INSTDIR\proctor-desk-cli.exe" --self-test"' "$INSTDIR\proctor-desk.exe" 0
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\卸载 ${PRODUCT} (uninstall).lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT} ${PRODUCT_ZH}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\proctor-desk.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\proctor-desk.exe"
  Delete "$INSTDIR\proctor-desk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  RMDir /r "$SMPROGRAMS\${PRODUCT}"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DetailPrint "$(KEEP_DATA)"
SectionEnd
