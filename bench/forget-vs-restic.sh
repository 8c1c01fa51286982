#!/usr/bin/env bash
# Side-by-side: `forget --dry-run` with a retention policy on one repository, restic vs Cellar.
# Both list, load and decrypt every snapshot, group them and apply the policy; nothing is removed.
# Usage: bench/forget-vs-restic.sh [SNAPSHOTS]   (needs restic and hyperfine; publishes Cellar as the README does)
set -euo pipefail
count=${1:-150}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

. "$root/scripts/dotnet-prerequisites.sh"
publish_native "$work/cellar" "$work/publish.log" || { echo "the native build failed: see $work/publish.log" >&2; exit 1; }
export RESTIC_REPOSITORY="$work/repo" RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$work/cache"
export CELLAR_REPOSITORY="$work/repo" CELLAR_PASSWORD=bench
mkdir -p "$work/src"
restic init -q
for i in $(seq 1 "$count"); do
  echo "$i" > "$work/src/file"
  # one snapshot every 7 hours, two hosts
  ts=$(date -u -d "@$((1704067200 + i * 7 * 3600))" "+%Y-%m-%d %H:%M:%S")
  restic backup -q --host "host$((i % 2))" --time "$ts" "$work/src" >/dev/null
done

policy=(--keep-daily 7 --keep-weekly 4 --keep-monthly 6 --dry-run)
hyperfine --warmup 2 --runs 10 --export-markdown "$work/result.md" \
  -n restic "restic --no-lock forget ${policy[*]}" \
  -n cellar "$work/cellar/cellar --no-lock forget ${policy[*]}"
cat "$work/result.md"
