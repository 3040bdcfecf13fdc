#!/usr/bin/env bash
# Installs everything ABK ABT needs on Debian 12 (bookworm) or newer, then builds it:
# system packages (ffmpeg, the virtual courtroom's PulseAudio, espeak-ng, GStreamer's
# RTSP server, LibreOffice for the protocol's PDF, build tools), Node.js 20.19+ if missing, the npm dependencies and the build.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install.sh: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

PACKAGES=(
  ffmpeg                                   # camera capture, mixing, probing
  pulseaudio pulseaudio-utils libasound2-plugins alsa-utils   # the virtual sound card
  espeak-ng sox                            # voices of the virtual courtroom
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly  # virtual IP camera
  build-essential python3 git ca-certificates   # node-gyp builds naudiodon
  procps util-linux openssl                # pgrep, mount (tests), openssl (benchmarks)
  libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core  # the protocol's PDF (fonts with every Kazakh letter)
  poppler-utils                            # pdftotext, pdffonts, pdftoppm (protocol tests)
  chromium                                 # the UI's browser tests and bench:ui (Playwright drives Debian's Chromium)
  openssh-server openssh-client           # the regional servers of the replication tests and bench (sshd on loopback), sftp for the bench
  firefox-esr                              # the portable player's test in Firefox (WebDriver BiDi)
  xorriso mtools dosfstools               # abk export: ISO images and burning (xorriso), unmounted FAT sticks (mtools); mkfs.vfat for the tests
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install.sh: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_ok() { command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; }
if ! node_ok; then
  echo "install.sh: Node.js 20.19 or newer is needed; installing it from the npm registry"
  command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  $SUDO npm install -g node@20 >/dev/null
  hash -r
  node_ok || { echo "install.sh: could not install Node.js 20.19+" >&2; exit 1; }
fi

# Electron and ffmpeg-static are optional: their installers download binaries from
# outside the npm registry, and where that fails npm skips them (ffmpeg then comes from PATH).
# Electron is installed without its binary, for its own types: the desktop app's main
# process is compiled against them (packaging on the build PC downloads the binary).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
npm run build
echo "install.sh: ready ($(node --version), $(ffmpeg -version | head -1 | cut -d' ' -f1-3))"
