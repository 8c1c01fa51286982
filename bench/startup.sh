#!/usr/bin/env bash
# Start-up time and baseline memory of the ways `cellar` can be published, side by side:
#   fdd  framework-dependent ReadyToRun (`dotnet cellar.dll`, what ./cellar ran before)
#   r2r  self-contained single-file ReadyToRun (`cellar`, one executable)
#   aot  Native AOT (only when the build succeeds: needs clang or gcc and zlib1g-dev)
# For each: `cellar version` and `cellar snapshots` on a small repository (3 snapshots of a
# few files), RUNS times each; prints the median wall time (ms, from `date +%s%N`) and the
# median peak RSS (MB, from /usr/bin/time -f %M).
#
#   bench/startup.sh            (RUNS=20 by default; work files in bench/work/startup)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$root/bench/work/startup}
runs=${RUNS:-20}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 CELLAR_PASSWORD=bench
mkdir -p "$work"

publish() { # name, extra publish arguments...
  local name=$1; shift
  [ -x "$work/$name/cellar" ] && [ "${REBUILD:-0}" != 1 ] && return 0
  rm -rf "$work/$name"
  if ! CELLAR_ARTIFACTS="$work/artifacts-$name" dotnet publish "$root/src/Cellar.Cli" -c Release -o "$work/$name" \
      --nologo "$@" >"$work/$name.log" 2>&1; then
    echo "$name: the build failed (see $work/$name.log)"; rm -rf "$work/$name"; return 1
  fi
}
publish fdd -p:SelfContained=false -p:PublishSingleFile=false -p:PublishReadyToRun=true
publish r2r -p:SelfContained=true -p:PublishSingleFile=true -p:PublishReadyToRun=true
linker=(); command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)
publish aot -p:SelfContained=true -p:PublishAot=true -p:PublishReadyToRun=false -p:PublishSingleFile=false "${linker[@]}"

repo=$work/repo
if [ ! -f "$repo/config" ]; then
  mkdir -p "$work/src"
  for i in 1 2 3 4 5; do head -c 20000 /dev/urandom >"$work/src/f$i"; done
  "$work/fdd/cellar" -r "$repo" init >/dev/null
  for i in 1 2 3; do echo "$i" >>"$work/src/f1"; "$work/fdd/cellar" -r "$repo" backup "$work/src" >/dev/null; done
fi

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
measure() { # name, arguments...
  local name=$1; shift
  local exe="$work/$name/cellar" times=() rss=() t0 t1 i
  "$exe" "$@" >/dev/null 2>&1 || { echo "$name $*: failed"; return; }   # warm the page cache
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N); "$exe" "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
    rss+=("$(/usr/bin/time -f %M "$exe" "$@" 2>&1 >/dev/null | tail -1)")
  done
  printf '%-4s %-28s %6s ms %7s MB\n' "$name" "$*" "$(printf '%s\n' "${times[@]}" | median)" \
    "$(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.1f", $1 / 1024}')"
}
echo "build  command                      median    peak RSS   (runs: $runs)"
for name in fdd r2r aot; do
  [ -x "$work/$name/cellar" ] || { echo "$name: not built"; continue; }
  measure "$name" version
  measure "$name" -r "$repo" snapshots
done
du -sh "$work"/fdd "$work"/r2r "$work"/aot 2>/dev/null
