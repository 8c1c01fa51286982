# Sourced by ./cellar and ./test. The .NET SDK needs a few system libraries (ICU, OpenSSL, and the
# CA certificates to download NuGet packages) that a minimal Debian lacks when the SDK was copied
# rather than installed as a package: install them with apt-get when missing.
ensure_dotnet_prerequisites() {
  command -v dotnet >/dev/null || { echo "cellar: the .NET 10 SDK is needed (https://dot.net); 'dotnet' is not on PATH." >&2; exit 1; }
  local missing=()
  [ -e /etc/ssl/certs/ca-certificates.crt ] || missing+=(ca-certificates)
  ldconfig -p 2>/dev/null | grep -q 'libssl\.so\.3' || missing+=(libssl3)
  if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'; then
    local icu
    icu=$(apt-cache search --names-only '^libicu[0-9]+$' 2>/dev/null | cut -d' ' -f1 | sort -V | tail -1)
    missing+=("${icu:-libicu72}")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { echo "cellar: please install ${missing[*]} (needed by .NET)." >&2; return 0; }
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "cellar: installing what .NET needs: ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; } \
    || echo "cellar: could not install ${missing[*]}; install them and try again." >&2
}

# Native AOT links with a C toolchain: clang (or gcc) and zlib's headers. Installs clang and
# zlib1g-dev with apt-get when neither compiler or zlib.h is there. Returns 1 when it could not.
ensure_native_toolchain() {
  local missing=()
  command -v clang >/dev/null || command -v gcc >/dev/null || missing+=(clang)
  [ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || return 1
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "cellar: installing what a native build needs: ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

# publish_native OUT LOG: publishes the CLI as one Native AOT executable OUT/cellar (with gcc when
# there is no clang), appending the build's output to LOG; fails when the toolchain cannot be
# installed, the build fails or the program does not start. CELLAR_ARTIFACTS may name its own
# build folders.
publish_native() {
  local out=$1 log=$2 linker=()
  ensure_native_toolchain || { echo "no C toolchain (clang or gcc, and zlib1g-dev) could be installed" >>"$log"; return 1; }
  command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$(dirname "${BASH_SOURCE[0]}")/../src/Cellar.Cli" \
      -c Release -o "$out" --nologo -p:SelfContained=true -p:PublishAot=true -p:PublishReadyToRun=false "${linker[@]}" >>"$log" 2>&1 \
    && "$out/cellar" version >>"$log" 2>&1
}
