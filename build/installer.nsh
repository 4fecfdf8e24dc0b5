; Included by electron-builder's NSIS script (nsis.include in electron-builder.yml).
; Registers parley:// for the install scope (SHCTX: HKCU for "only me", HKLM for "all users")
; and removes it at uninstall, so no dead handler stays behind.
!macro customInstall
  WriteRegStr SHCTX "Software\Classes\parley" "" "URL:Parley link"
  WriteRegStr SHCTX "Software\Classes\parley" "URL Protocol" ""
  WriteRegStr SHCTX "Software\Classes\parley\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHCTX "Software\Classes\parley\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHCTX "Software\Classes\parley"
!macroend
