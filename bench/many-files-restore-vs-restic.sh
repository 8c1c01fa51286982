#!/usr/bin/env bash
# Restores a tree of many small files with `restic restore` and with `cellar restore` (Release
# build) from the same restic repository, and prints wall time and peak RSS (/usr/bin/time -f %M)
# of each, with the ratio cellar/restic, for each file count.
#
#   bench/many-files-restore-vs-restic.sh [COUNT...]     (default 100000 200000 400000)
#
# Each tree: COUNT files of 0-3 KiB (random bytes, 1.5 KiB on average) in folders of 100 files,
# 100 folders per top folder. Work files go to bench/work/many-restore (removed at the end unless
# KEEP=1); with REUSE=1 trees and repositories kept by an earlier KEEP=1 run are used again.
# RUNS (default 1) restores each; the table shows the median time and the largest peak RSS.
# CELLAR=path uses an already published cellar binary instead of publishing one.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$root/bench/work/many-restore}
runs=${RUNS:-1}
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(100000 200000 400000)
export RESTIC_PASSWORD=bench CELLAR_PASSWORD=bench
mkdir -p "$work"

if [ -n "${CELLAR:-}" ]; then
  cellar=$CELLAR
else
  echo "== publishing cellar (Native AOT, as the README installs it)"
  . "$root/scripts/dotnet-prerequisites.sh"
  publish_native "$work/cellar" "$work/publish.log" || { echo "the native build failed: see $work/publish.log" >&2; exit 1; }
  cellar=$work/cellar/cellar
fi

# measure LABEL COMMAND...: runs it RUNS times into a fresh target, prints "seconds kilobytes" (median time, max RSS).
measure() {
  local label=$1; shift
  local times=() peak=0
  for _ in $(seq "$runs"); do
    rm -rf "$work/target"; sync
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null
    read -r t m < "$work/time.txt"
    times+=("$t"); [ "$m" -gt "$peak" ] && peak=$m
  done
  rm -rf "$work/target"
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $peak"
}

printf '\n%-8s | %-20s | %-20s | %-15s\n' files "restic time / RSS" "cellar time / RSS" "cellar/restic"
results=()
for n in "${counts[@]}"; do
  dir=$work/n$n
  if [ "${REUSE:-0}" != 1 ] || [ ! -f "$dir/repo/config" ]; then
    rm -rf "$dir"; mkdir -p "$dir/src"
    echo "== generating $n files in $dir/src" >&2
    python3 - "$dir/src" "$n" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(n)
for i in range(n):
    d = os.path.join(root, f"t{i // 10000:03d}", f"d{(i // 100) % 100:02d}")
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:07d}"), "wb") as f:
        f.write(os.urandom(rnd.randint(0, 3072)))
PY
    echo "== restic init + backup ($n files)" >&2
    RESTIC_REPOSITORY=$dir/repo restic init -q --repository-version 2 >/dev/null
    (cd "$dir/src" && RESTIC_REPOSITORY=$dir/repo restic backup -q . >/dev/null)
  fi
  read -r rt rm_ < <(measure restic env RESTIC_REPOSITORY="$dir/repo" restic restore -q latest --target "$work/target")
  read -r ct cm < <(measure cellar env CELLAR_REPOSITORY="$dir/repo" "$cellar" restore -q latest --target "$work/target")
  line=$(printf '%-8s | %6.1f s / %5d MB | %6.1f s / %5d MB | %4.2f / %4.2f' "$n" "$rt" $((rm_ / 1024)) "$ct" $((cm / 1024)) \
    "$(echo "$ct / $rt" | bc -l)" "$(echo "$cm / $rm_" | bc -l)")
  results+=("$line")
  echo "$line"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$dir"
done

printf '\n%-8s | %-20s | %-20s | %-15s\n' files "restic time / RSS" "cellar time / RSS" "time / RSS"
printf '%s\n' "${results[@]}"
[ "${KEEP:-0}" = 1 ] || rm -rf "$work"
