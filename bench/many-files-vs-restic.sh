#!/usr/bin/env bash
# Many small files: Cellar (Release publish) beside restic and a bare stat walk, at 100k, 200k and
# 400k files, to show how time and peak memory grow with the number of files.
# For each size, in one run: restic first backup, Cellar first backup, restic unchanged
# re-backup, Cellar unchanged re-backup, and `find DIR -printf '%s %T@ %i\n'` (the stat walk
# that bounds an unchanged re-backup). Wall time and peak RSS from /usr/bin/time; ratios are
# Cellar/restic and Cellar re-backup / stat walk (<= 1.0: Cellar at least as fast / as lean).
#
# The tree grows in place: 100k files (~150 MB: 0.5-2.5 KiB text files, 500 per folder), then
# 100k more, then 200k more; each size is backed up into fresh repositories.
#
# Usage: bench/many-files-vs-restic.sh [WORKDIR]   (default: bench/work/many-files; ~3 GB free)
# Env:   SIZES (default "100000 200000 400000"); CELLAR=path uses an already published cellar.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-bench/work/many-files}
SIZES=${SIZES:-100000 200000 400000}
export RESTIC_PASSWORD=bench CELLAR_PASSWORD=bench
command -v restic >/dev/null || { echo "restic is not installed (apt-get install restic)"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)"; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
DATA="$WORK/data"
export RESTIC_CACHE_DIR="$WORK/restic-cache"

if [ -n "${CELLAR:-}" ]; then
  echo "== using $CELLAR"
else
  echo "== publishing Cellar (Native AOT, as the README installs it)"
  . scripts/dotnet-prerequisites.sh
  publish_native "$WORK/cellar-bin" "$WORK/publish.log" || { echo "the native build failed: see $WORK/publish.log" >&2; exit 1; }
  CELLAR="$WORK/cellar-bin/cellar"
fi

# grow FROM TO: adds files number FROM..TO-1 (500 per folder, 20 folders per group).
grow() {
  awk -v from="$1" -v to="$2" -v dir="$DATA" 'BEGIN {
    srand(from + 7);
    split("the of and to in is was for on that with as by at from this be or are an it not which have has were but his had their one all its also been new more other after first two who they over into years time may most would some such when three only about can these world", w, " ");
    nw = length(w);
    for (i = from; i < to; i++) {
      if (i == from || i % 500 == 0) { d = sprintf("%s/g%03d/d%05d", dir, int(i / 10000), int(i / 500)); system("mkdir -p " d) }
      f = d "/f" i ".txt"; size = 512 + int(rand() * 2048); s = 0; line = "";
      while (s < size) { word = w[1 + int(rand() * nw)]; line = line word " "; s += length(word) + 1;
        if (length(line) > 70) { print line > f; line = "" } }
      print line i > f; close(f);
    } }'
}

measure() { # size name tool command...  -> appends "size name tool seconds maxrss_kb cpu" to results
  local size=$1 name=$2 tool=$3; shift 3
  local log="$WORK/time-$size-$name-$tool.log"
  /usr/bin/time -f '%e %M %U %S' -o "$log" "$@" > "$WORK/out-$size-$name-$tool.log" 2>&1 || { echo "$tool $name failed:"; tail -20 "$WORK/out-$size-$name-$tool.log"; exit 1; }
  local wall rss user sys
  read -r wall rss user sys < <(tail -1 "$log")
  echo "$size $name $tool $wall $rss $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >> "$WORK/results"
  printf '  %-7s %-10s %-7s %8.2f s wall %8d KiB\n' "$size" "$name" "$tool" "$wall" "$rss"
}

have=0
for size in $SIZES; do
  echo "== $size files"
  grow "$have" "$size"; have=$size
  find "$DATA" -type f -print0 | xargs -0 cat > /dev/null   # warm page cache for every tool
  rm -rf "$WORK/restic-repo" "$WORK/cellar-repo" "$RESTIC_CACHE_DIR"
  restic -r "$WORK/restic-repo" init >/dev/null
  "$CELLAR" -r "$WORK/cellar-repo" init >/dev/null
  measure "$size" first restic restic -r "$WORK/restic-repo" backup "$DATA"
  measure "$size" first cellar "$CELLAR" -r "$WORK/cellar-repo" backup "$DATA"
  measure "$size" unchanged restic restic -r "$WORK/restic-repo" backup "$DATA"
  measure "$size" unchanged cellar "$CELLAR" -r "$WORK/cellar-repo" backup "$DATA"
  measure "$size" statwalk find find "$DATA" -printf '%s %T@ %i\n'
done

echo
echo "== results (wall s / peak RSS KiB; ratios Cellar/restic and Cellar re-backup / stat walk)"
printf '%-7s %-10s %9s %9s %6s %10s %10s %6s %11s\n' files step restic_s cellar_s wall restic_KiB cellar_KiB rss per_file_B
for size in $SIZES; do
  read -r _ _ _ fw _ _ < <(grep "^$size statwalk find " "$WORK/results")
  for step in first unchanged; do
    read -r _ _ _ rt rr _ < <(grep "^$size $step restic " "$WORK/results")
    read -r _ _ _ ct cr _ < <(grep "^$size $step cellar " "$WORK/results")
    awk -v n="$size" -v s="$step" -v rt="$rt" -v ct="$ct" -v rr="$rr" -v cr="$cr" 'BEGIN {
      printf "%-7s %-10s %9.2f %9.2f %6.2f %10d %10d %6.2f %11.0f\n", n, s, rt, ct, ct / rt, rr, cr, cr / rr, cr * 1024 / n }'
  done
  read -r _ _ _ ct _ _ < <(grep "^$size unchanged cellar " "$WORK/results")
  awk -v n="$size" -v ct="$ct" -v fw="$fw" 'BEGIN { printf "%-7s %-10s stat walk %.2f s; Cellar unchanged re-backup / stat walk = %.2f\n", n, "statwalk", fw, ct / fw }'
done
restic version
