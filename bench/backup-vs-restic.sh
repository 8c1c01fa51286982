#!/usr/bin/env bash
# Side-by-side backup benchmark: Cellar (Release publish) and restic on one generated tree of
# ~600 MB (thousands of small documents, large half-compressible binaries).
# Measures: first backup, unchanged re-backup, re-backup after ~2% of files changed, full restore,
# each with wall time and peak RSS (/usr/bin/time -v). Prints Cellar/restic ratios (<= 1.0 is
# Cellar at least as fast / as lean).
#
# Usage: bench/backup-vs-restic.sh [WORKDIR]   (default: bench/work/backup; needs ~3 GB free)
# Env:   SMALL_FILES (default 6000), BIG_FILES (default 10), BIG_MB (default 40);
#        CELLAR=path uses an already published cellar instead of publishing one.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-bench/work/backup}
SMALL_FILES=${SMALL_FILES:-6000}
BIG_FILES=${BIG_FILES:-10}
BIG_MB=${BIG_MB:-40}
export RESTIC_PASSWORD=bench CELLAR_PASSWORD=bench
export RESTIC_CACHE_DIR="$WORK/restic-cache"
command -v restic >/dev/null || { echo "restic is not installed (apt-get install restic)"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)"; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DATA="$WORK/data"

if [ -n "${CELLAR:-}" ]; then
  echo "== using $CELLAR"
else
  echo "== publishing Cellar (Native AOT, as the README installs it)"
  . scripts/dotnet-prerequisites.sh
  publish_native "$WORK/cellar-bin" "$WORK/publish.log" || { echo "the native build failed: see $WORK/publish.log" >&2; exit 1; }
  CELLAR="$WORK/cellar-bin/cellar"
fi

echo "== generating the tree in $DATA"
mkdir -p "$DATA/docs" "$DATA/media"
# Small documents: word soup (compressible like text), 1-100 KiB, spread over 60 folders.
awk -v n="$SMALL_FILES" -v dir="$DATA/docs" 'BEGIN {
  srand(42);
  split("the of and to in is was for on that with as by at from this be or are an it not which have has were but his had their one all its also been new more other after first two who they over into years time may most would some such when three only about can these world during made many where year part he her she then up use known well being under between later while both city people school national than state", w, " ");
  nw = length(w);
  for (i = 0; i < n; i++) {
    d = dir "/d" int(i % 60); if (i < 60) system("mkdir -p " d);
    f = d "/doc" i ".txt"; size = 1024 + int(rand() * rand() * 100 * 1024); s = 0; line = "";
    while (s < size) { word = w[1 + int(rand() * nw)]; line = line word " "; s += length(word) + 1;
      if (length(line) > 70) { print line > f; line = "" } }
    print line i > f; close(f);
  } }'
# Large binaries: each MiB is half random bytes, half repetitive text.
{ yes "half-compressible filler line for the benchmark tree 0123456789" || true; } | head -c $((512 * 1024)) > "$WORK/filler" || true
for i in $(seq 1 "$BIG_FILES"); do
  for m in $(seq 1 "$BIG_MB"); do head -c $((512 * 1024)) /dev/urandom; cat "$WORK/filler"; done > "$DATA/media/blob$i.bin"
done
du -sh "$DATA"; find "$DATA" -type f | wc -l
cat $(find "$DATA" -type f) > /dev/null   # both tools start with a warm page cache

measure() { # name tool command...  -> appends "name tool seconds maxrss_kb" to results
  local name=$1 tool=$2; shift 2
  local log="$WORK/time-$name-$tool.log"
  /usr/bin/time -v "$@" > "$WORK/out-$name-$tool.log" 2> "$log" || { echo "$tool $name failed:"; tail -20 "$log"; exit 1; }
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log")
  echo "$name $tool $wall $rss $cpu" >> "$WORK/results"
  printf '  %-10s %-7s %8.2f s wall %8.2f s cpu %8d KiB\n' "$name" "$tool" "$wall" "$cpu" "$rss"
}

restic -r "$WORK/restic-repo" init >/dev/null
"$CELLAR" -r "$WORK/cellar-repo" init >/dev/null

echo "== first backup"
measure first restic restic -r "$WORK/restic-repo" backup "$DATA"
measure first cellar "$CELLAR" -r "$WORK/cellar-repo" backup "$DATA"
echo "== unchanged re-backup"
measure unchanged restic restic -r "$WORK/restic-repo" backup "$DATA"
measure unchanged cellar "$CELLAR" -r "$WORK/cellar-repo" backup "$DATA"
echo "== re-backup after ~2% of the files changed"
find "$DATA/docs" -type f | awk 'NR % 50 == 0' | while read -r f; do echo "changed line" >> "$f"; done
printf 'patched' | dd of="$DATA/media/blob1.bin" bs=1 seek=$((5 * 1024 * 1024)) conv=notrunc status=none
measure changed restic restic -r "$WORK/restic-repo" backup "$DATA"
measure changed cellar "$CELLAR" -r "$WORK/cellar-repo" backup "$DATA"
echo "== full restore"
measure restore restic restic -r "$WORK/restic-repo" restore latest --target "$WORK/restore-restic"
measure restore cellar "$CELLAR" -r "$WORK/cellar-repo" restore latest --target "$WORK/restore-cellar"
diff -r "$WORK/restore-restic$DATA" "$WORK/restore-cellar$DATA" >/dev/null && echo "  restored trees are identical"

echo "== repository sizes"
printf '  restic %s\n  cellar %s\n' "$(du -sh "$WORK/restic-repo" | cut -f1)" "$(du -sh "$WORK/cellar-repo" | cut -f1)"

echo
echo "== ratios (Cellar / restic; <= 1.0 means Cellar is at least as fast / as lean)"
echo "   wall = elapsed time; cpu = user+sys seconds (steadier on a shared machine); rss = peak memory"
printf '%-10s %9s %9s %6s %9s %9s %6s %11s %11s %6s\n' step restic_s cellar_s wall restic_cpu cellar_cpu cpu restic_KiB cellar_KiB rss
for step in first unchanged changed restore; do
  read -r _ _ rt rr rc < <(grep "^$step restic " "$WORK/results")
  read -r _ _ ct cr cc < <(grep "^$step cellar " "$WORK/results")
  awk -v s="$step" -v rt="$rt" -v ct="$ct" -v rr="$rr" -v cr="$cr" -v rc="$rc" -v cc="$cc" 'BEGIN {
    printf "%-10s %9.2f %9.2f %6.2f %9.2f %9.2f %6.2f %11d %11d %6.2f\n", s, rt, ct, (rt > 0 ? ct / rt : 0), rc, cc, (rc > 0 ? cc / rc : 0), rr, cr, cr / rr }'
done
restic version
