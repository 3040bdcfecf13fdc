<#
.SYNOPSIS
  ABK ABT: burns a disc on Windows through IMAPI2, for `abk export --to disc`
  and the library's "Write to disc / USB". Run by src/engine/export/imapi.ts,
  never by hand; it speaks one JSON object per line on stdout.

.DESCRIPTION
  -List                         every optical drive: {"type":"drive","id":…,"path":"E:","blank":true,"freeBytes":…}
  -Burn -Drive E: -Plan FILE -Label NAME
                                burns the files FILE lists ([{"source":"C:\…","path":"base/x.wav"}, …])
                                as one UDF session (IMAPI2FS: ISO 9660 refuses files over 2 GiB),
                                with MsftDiscFormat2Data; progress {"type":"progress","fraction":0.42},
                                then {"type":"done","path":"E:\"}. The caller reads every file
                                back from E:\ and holds it to the manifest.
  On any failure: {"type":"error","code":"…","message":"…"} and exit code 1.
#>
[CmdletBinding()]
param(
  [switch]$List,
  [switch]$Burn,
  [string]$Drive,
  [string]$Plan,
  [string]$Label = 'ABK'
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Write-Line([hashtable]$Object) {
  [Console]::Out.WriteLine(($Object | ConvertTo-Json -Compress -Depth 4))
  [Console]::Out.Flush()
}

# A file as the IStream IMAPI2FS reads from, opened without loading it into memory
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.ComTypes;
public static class AbkStream {
  [DllImport("shlwapi.dll", CharSet = CharSet.Unicode, PreserveSig = false)]
  static extern void SHCreateStreamOnFileEx(string file, uint mode, uint attributes, bool create, IStream template, out IStream stream);
  public static IStream Open(string path) { IStream s; SHCreateStreamOnFileEx(path, 0x20 /* STGM_READ | STGM_SHARE_DENY_WRITE */, 0, false, null, out s); return s; }
}
'@

function Get-Recorders {
  $master = New-Object -ComObject IMAPI2.MsftDiscMaster2
  foreach ($id in $master) {
    $recorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
    $recorder.InitializeDiscRecorder($id)
    [pscustomobject]@{ Id = $id; Recorder = $recorder; Path = ($recorder.VolumePathNames | Select-Object -First 1) }
  }
}

try {
  if ($List) {
    foreach ($r in Get-Recorders) {
      $format = New-Object -ComObject IMAPI2.MsftDiscFormat2Data
      $blank = $false
      $free = 0
      if ($format.IsRecorderSupported($r.Recorder) -and $format.IsCurrentMediaSupported($r.Recorder)) {
        $format.Recorder = $r.Recorder
        $blank = $format.MediaHeuristicallyBlank
        $free = [int64]$format.FreeSectorsOnMedia * 2048
      }
      Write-Line @{ type = 'drive'; id = $r.Id; path = $r.Path; blank = $blank; freeBytes = $free }
    }
    exit 0
  }
  if (-not $Burn) { throw 'say -List or -Burn' }
  $target = Get-Recorders | Where-Object { $_.Path -and $_.Path.TrimEnd('\') -ieq $Drive.TrimEnd('\') } | Select-Object -First 1
  if (-not $target) { Write-Line @{ type = 'error'; code = 'no-drive'; message = "no optical drive $Drive" }; exit 1 }
  $format = New-Object -ComObject IMAPI2.MsftDiscFormat2Data
  $format.Recorder = $target.Recorder
  $format.ClientName = 'ABK ABT'
  if (-not $format.IsCurrentMediaSupported($target.Recorder)) { Write-Line @{ type = 'error'; code = 'no-disc'; message = "no writable disc in $Drive" }; exit 1 }
  if (-not $format.MediaHeuristicallyBlank) { Write-Line @{ type = 'error'; code = 'not-blank'; message = "the disc in $Drive is not blank" }; exit 1 }

  $image = New-Object -ComObject IMAPI2FS.MsftFileSystemImage
  $image.FileSystemsToCreate = 4 # UDF: ISO 9660 refuses files over 2 GiB
  $image.VolumeName = $Label
  $image.ChooseImageDefaults($target.Recorder)
  foreach ($f in (Get-Content -Raw -Encoding UTF8 $Plan | ConvertFrom-Json)) {
    $parts = $f.path -split '/'
    $dir = $image.Root
    for ($i = 0; $i -lt $parts.Length - 1; $i++) {
      $sub = $null
      try { $sub = $dir.Item($parts[$i]) } catch { $sub = $null } # not there yet: made below
      if (-not $sub) { $dir.AddDirectory($parts[$i]); $sub = $dir.Item($parts[$i]) }
      $dir = $sub
    }
    $dir.AddFile($parts[-1], [AbkStream]::Open($f.source))
  }
  $result = $image.CreateResultImage()
  Register-ObjectEvent -InputObject $format -EventName Update -Action {
    $p = $EventArgs[1]
    if ($p.TotalSectors -gt 0) { Write-Line @{ type = 'progress'; fraction = [double]($p.LastWrittenLba - $p.StartLba) / $p.TotalSectors } }
  } | Out-Null
  $format.Write($result.ImageStream)
  $target.Recorder.EjectMedia()
  $target.Recorder.CloseTray()
  Write-Line @{ type = 'done'; path = "$($target.Path)" }
  exit 0
} catch {
  Write-Line @{ type = 'error'; code = 'imapi'; message = $_.Exception.Message }
  exit 1
}
