; Inno Setup script: the Windows installer of the one-folder bundle.
;
;   iscc /DAppVersion=X.Y.Z packaging\windows\aicode-manager.iss
;
; (run from the repository's root after PyInstaller built dist\aicode-manager\)
; writes dist\aicode-manager-<version>-setup.exe. AppVersion is desktop.__version__,
; passed in by the build (.github/workflows/build.yml); there is no default, so a
; build that forgets it fails instead of shipping a wrong version.
;
; Signed-ready: with /DSignTool=NAME (and iscc's /SNAME=<signtool command line>)
; the installer and its uninstaller are signed; without it they are not.
;
; Installs for the current user (no administrator rights needed; an administrator
; may choose all users), adds the Start menu entry, and puts aicode.exe on the
; user's PATH. Uninstalling removes exactly that: the data folder
; (%LOCALAPPDATA%\aicode-manager) and the secrets in the Windows Credential
; Manager are the user's and are kept.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\aicode-manager.iss
#endif

#define AppName "AICode Manager"
#define Bundle "..\..\dist\aicode-manager"

[Setup]
AppId={{a1dcb292-de56-4a23-8867-f16b81547fda}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=AICode Manager
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64
ArchitecturesInstallIn64BitMode=x64
OutputDir=..\..\dist
OutputBaseFilename=aicode-manager-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\aicode-manager.ico
UninstallDisplayIcon={app}\aicode-desktop.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
CloseApplications=yes
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Tasks]
Name: "addtopath"; Description: "Add the aicode command to PATH"; GroupDescription: "Command line:"
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\aicode-desktop.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\aicode-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\aicode-desktop.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ PATH holds {app} once, added at install when the task is chosen and taken out at uninstall. }
const
  EnvKeyUser = 'Environment';
  EnvKeyMachine = 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment';

function EnvRoot: Integer;
begin
  if IsAdminInstallMode then Result := HKEY_LOCAL_MACHINE else Result := HKEY_CURRENT_USER;
end;

function EnvKey: String;
begin
  if IsAdminInstallMode then Result := EnvKeyMachine else Result := EnvKeyUser;
end;

function PathHas(const Paths, Dir: String): Boolean;
begin
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') > 0;
end;

procedure AddToPath(const Dir: String);
var
  Paths: String;
begin
  if not RegQueryStringValue(EnvRoot, EnvKey, 'Path', Paths) then Paths := '';
  if PathHas(Paths, Dir) then exit;
  if (Paths <> '') and (Copy(Paths, Length(Paths), 1) <> ';') then Paths := Paths + ';';
  RegWriteExpandStringValue(EnvRoot, EnvKey, 'Path', Paths + Dir);
end;

procedure RemoveFromPath(const Dir: String);
var
  Paths: String;
  P: Integer;
begin
  if not RegQueryStringValue(EnvRoot, EnvKey, 'Path', Paths) then exit;
  Paths := ';' + Paths + ';';
  P := Pos(';' + Uppercase(Dir) + ';', Uppercase(Paths));
  if P = 0 then exit;
  Delete(Paths, P, Length(Dir) + 1);
  RegWriteExpandStringValue(EnvRoot, EnvKey, 'Path', Copy(Paths, 2, Length(Paths) - 2));
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath') then
    AddToPath(ExpandConstant('{app}'));
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RemoveFromPath(ExpandConstant('{app}'));
end;
