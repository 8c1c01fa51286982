#!/usr/bin/env bash
# Restores the same restic snapshot with `restic restore` and with `cellar restore` (Release
# build) side by side under hyperfine, and prints the ratio cellar/restic of the mean times.
#
#   bench/restore-vs-restic.sh [SIZE_MB]      (default 300; needs restic, hyperfine, dotnet)
#
# Work files go to bench/work/restore (removed at the end unless KEEP=1). With REUSE=1 a tree and
# repository kept by an earlier KEEP=1 run are used again (no generation, no restic backup).
# Cellar is published as the README installs it (Release; the CLI project publishes ReadyToRun);
# CELLAR=path uses an already published cellar instead.
set -euo pipefail

size_mb=${1:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$root/bench/work/restore}
runs=${RUNS:-5}
export RESTIC_PASSWORD=bench CELLAR_PASSWORD=bench
export RESTIC_REPOSITORY=$work/repo CELLAR_REPOSITORY=$work/repo

if [ "${REUSE:-0}" = 1 ] && [ -f "$work/repo/config" ]; then
  echo "== reusing the repository in $work/repo"
else
rm -rf "$work"
mkdir -p "$work/src"

echo "== generating a ~${size_mb} MB tree in $work/src"
# A third in thousands of small documents (1-64 KiB, text-like), the rest in large binaries,
# half of them random and half of them half-compressible.
small_total=$((size_mb * 1024 * 1024 / 3))
large_total=$((size_mb * 1024 * 1024 - small_total))
python3 - "$work/src" "$small_total" "$large_total" <<'PY'
import os, random, sys
root, small_total, large_total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(1)
words = [bytes(rnd.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 10))) for _ in range(5000)]
def text(n):
    out = bytearray()
    while len(out) < n:
        out += b" ".join(rnd.choice(words) for _ in range(64)) + b"\n"
    return bytes(out[:n])
done, i = 0, 0
while done < small_total:
    d = os.path.join(root, "docs", f"d{i % 50:02d}", f"s{i % 7}")
    os.makedirs(d, exist_ok=True)
    n = rnd.randint(1024, 64 * 1024)
    with open(os.path.join(d, f"doc-{i:05d}.txt"), "wb") as f:
        f.write(text(n))
    done += n; i += 1
os.makedirs(os.path.join(root, "media"), exist_ok=True)
done, j = 0, 0
while done < large_total:
    n = min(rnd.randint(8, 40) * 1024 * 1024, large_total - done)
    with open(os.path.join(root, "media", f"blob-{j:03d}.bin"), "wb") as f:
        left = n
        while left > 0:
            k = min(left, 1 << 20)
            chunk = os.urandom(k) if j % 2 == 0 else os.urandom(k // 2) + text(k - k // 2)
            f.write(chunk); left -= k
    done += n; j += 1
print(f"{i} small files, {j} large files")
PY

echo "== restic init + backup"
restic init -q --repository-version 2 >/dev/null
(cd "$work/src" && restic backup -q .)
fi
snapshot=$(restic snapshots --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')

if [ -n "${CELLAR:-}" ]; then
  echo "== using $CELLAR"
  cellar=$CELLAR
else
  echo "== publishing cellar (Release)"
  dotnet publish "$root/src/Cellar.Cli" -c Release -o "$work/cellar" -v q --nologo >/dev/null
  cellar=$work/cellar/cellar
fi

echo "== sanity: both restores equal"
restic restore -q "$snapshot" --target "$work/check-restic" >/dev/null
"$cellar" restore -q "$snapshot" --target "$work/check-cellar" >/dev/null
diff -r --no-dereference "$work/check-restic" "$work/check-cellar" && echo "contents equal"
rm -rf "$work/check-restic" "$work/check-cellar"

echo "== hyperfine: $runs runs each"
hyperfine --warmup 1 --runs "$runs" --export-json "$work/hyperfine.json" \
  --prepare "rm -rf $work/t-restic $work/t-cellar; sync" \
  -n restic "restic restore -q $snapshot --target $work/t-restic" \
  -n cellar "$cellar restore -q $snapshot --target $work/t-cellar"

python3 - "$work/hyperfine.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
c, s = r["cellar"], r["restic"]
print(f"restic restore: {s['mean']:.3f} s ± {s['stddev']:.3f}")
print(f"cellar restore: {c['mean']:.3f} s ± {c['stddev']:.3f}")
print(f"hyperfine ratio cellar/restic (mean time): {c['mean'] / s['mean']:.2f}")
PY

# The machine may be shared: also alternate the two tools run by run, and compare medians of wall
# time and of CPU time (user+sys), with peak memory.
echo "== interleaved: $runs runs each (wall s, cpu s, peak RSS KiB)"
: > "$work/interleaved.tsv"
for i in $(seq "$runs"); do
  for tool in restic cellar; do
    rm -rf "$work/t-$tool"; sync
    if [ "$tool" = restic ]; then cmd=(restic restore -q "$snapshot" --target "$work/t-$tool"); else cmd=("$cellar" restore -q "$snapshot" --target "$work/t-$tool"); fi
    /usr/bin/time -o "$work/time.txt" -f "%e %U %S %M" "${cmd[@]}" >/dev/null
    read -r wall user sys rss < "$work/time.txt"
    echo -e "$tool\t$wall\t$user\t$sys\t$rss" | tee -a "$work/interleaved.tsv"
  done
done
python3 - "$work/interleaved.tsv" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
m = {}
for tool in ("restic", "cellar"):
    r = [x for x in rows if x[0] == tool]
    m[tool] = (statistics.median(float(x[1]) for x in r), statistics.median(float(x[2]) + float(x[3]) for x in r), max(int(x[4]) for x in r))
    print(f"{tool}: median wall {m[tool][0]:.2f} s, median cpu {m[tool][1]:.2f} s, peak RSS {m[tool][2] / 1024:.0f} MiB")
print(f"ratio cellar/restic: wall {m['cellar'][0] / m['restic'][0]:.2f}, cpu {m['cellar'][1] / m['restic'][1]:.2f}, peak RSS {m['cellar'][2] / m['restic'][2]:.2f}")
PY

[ "${KEEP:-0}" = 1 ] || rm -rf "$work"
