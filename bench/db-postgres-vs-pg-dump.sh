#!/usr/bin/env bash
# Side by side on a private PostgreSQL started here, same data, same run:
#   `cellar db dump --dir` vs `pg_dump -Fd -Z0 -j 2` (and pg_dump's default compression, for the choice of -Z0),
#   `cellar db restore` vs `pg_restore -j 2`.
# Data: a Cells-shaped idx_tree table (bytea MPATH columns, hashes, jsonb) and a commits table, ROWS rows each.
# Prints the median wall time and peak RSS of RUNS runs of each, and the ratios cellar / stock tool.
# Usage: bench/db-postgres-vs-pg-dump.sh [ROWS] [RUNS]   (needs postgresql, GNU time, dotnet)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-300000}
RUNS=${2:-5}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d)
AS=(); [ "$(id -u)" = 0 ] && { chown postgres "$WORK"; AS=(runuser -u postgres --); }
trap '"${AS[@]}" "$BIN/pg_ctl" stop -m immediate -D "$WORK/data" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
PORT=54399
"${AS[@]}" "$BIN/initdb" -D "$WORK/data" -A trust -U postgres --no-sync -E UTF8 --locale=C >/dev/null
"${AS[@]}" "$BIN/pg_ctl" start -w -D "$WORK/data" -l "$WORK/log" -o "-k $WORK -p $PORT -F -c listen_addresses='' -c shared_buffers=128MB" >/dev/null
export PGHOST=$WORK PGPORT=$PORT PGUSER=postgres
P=("$BIN/psql" -X -q -v ON_ERROR_STOP=1)
"${P[@]}" -d postgres -c "CREATE DATABASE cells"
"${P[@]}" -d cells <<SQL
CREATE TABLE data_idx_tree (uuid varchar(128) PRIMARY KEY, level smallint NOT NULL, hash varchar(40) NOT NULL UNIQUE, hash2 varchar(50) NOT NULL,
  name varchar(255) NOT NULL, leaf boolean, mtime int NOT NULL, etag varchar(255), size bigint, mode varchar(10),
  mpath1 bytea NOT NULL, mpath2 bytea NOT NULL, mpath3 bytea NOT NULL, mpath4 bytea NOT NULL, meta jsonb);
CREATE INDEX ON data_idx_tree (level); CREATE INDEX ON data_idx_tree (mpath1);
CREATE TABLE data_commits (id bigserial PRIMARY KEY, uuid varchar(128) NOT NULL, etag varchar(255), size bigint, mtime int, cdate double precision, data bytea);
CREATE INDEX ON data_commits (uuid);
INSERT INTO data_idx_tree SELECT md5(g::text || 'u'), 1 + g % 12, md5(g::text) || 'abcdefgh', md5((g * 7)::text), 'file ' || g || ' é😀.txt', g % 2 = 0,
  1700000000 + g, md5((g * 3)::text), g * 1024, '0775', sha256(g::text::bytea), sha256((g + 1)::text::bytea), decode(md5(g::text), 'hex'), '',
  jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g % 10)) FROM generate_series(1, $ROWS) g;
INSERT INTO data_commits (uuid, etag, size, mtime, cdate, data) SELECT md5(g::text || 'c'), md5(g::text), g, 1700000000 + g, g * 1.000001, sha256(g::text::bytea) || sha256((g * 2)::text::bytea)
  FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE;
SQL
echo "database: $("${P[@]}" -d cells -At -c "SELECT pg_size_pretty(pg_database_size('cells'))"), $ROWS rows per table, $(nproc) cores"
# The published build (Native AOT), as users install it; CELLAR=path uses one already published.
if [ -z "${CELLAR:-}" ]; then
  . scripts/dotnet-prerequisites.sh
  publish_native "$WORK/cellar-bin" "$WORK/publish.log" || { echo "the native build failed: see $WORK/publish.log" >&2; exit 1; }
  CELLAR="$WORK/cellar-bin/cellar"
fi
DSN="postgres://postgres@/cells?host=$WORK&port=$PORT"
RDSN="postgres://postgres@/restored?host=$WORK&port=$PORT"

# measure NAME PREPARE COMMAND: RUNS runs, "NAME seconds peak_kb" per run into $WORK/times
measure() {
  local name=$1 prepare=$2 command=$3
  for _ in $(seq "$RUNS"); do
    bash -c "$prepare" >/dev/null 2>&1
    /usr/bin/time -f "$name %e %M" -a -o "$WORK/times" bash -c "$command" >/dev/null
  done
}
measure "cellar-dump" "rm -rf $WORK/c" "'$CELLAR' db dump --dsn '$DSN' --dir $WORK/c -q"
measure "pg_dump-Fd-Z0-j2" "rm -rf $WORK/p" "$BIN/pg_dump -Fd -Z0 -j 2 -f $WORK/p cells"
measure "pg_dump-Fd-j2-gzip" "rm -rf $WORK/g" "$BIN/pg_dump -Fd -j 2 -f $WORK/g cells"
echo "dump sizes: cellar $(du -sb $WORK/c | cut -f1) bytes, pg_dump -Z0 $(du -sb $WORK/p | cut -f1), pg_dump gzip $(du -sb $WORK/g | cut -f1)"
DROP="${P[*]} -d postgres -c 'DROP DATABASE IF EXISTS restored'"
measure "cellar-restore" "$DROP" "'$CELLAR' db restore --dsn '$RDSN' --parallel 2 -q $WORK/c"
measure "pg_restore-j2" "$DROP; ${P[*]} -d postgres -c 'CREATE DATABASE restored'" "$BIN/pg_restore -j 2 --no-owner -d restored $WORK/p"
python3 - "$WORK/times" <<'PY'
import statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, secs, kb = line.split()
    runs[name].append((float(secs), int(kb)))
med = {n: (statistics.median(s for s, _ in r), statistics.median(k for _, k in r)) for n, r in runs.items()}
for n, (s, k) in med.items():
    print(f"{n:22s} {s:7.2f} s  peak RSS {k / 1024:7.1f} MiB  ({len(runs[n])} runs)")
for a, b in [("cellar-dump", "pg_dump-Fd-Z0-j2"), ("pg_dump-Fd-Z0-j2", "pg_dump-Fd-j2-gzip"), ("cellar-restore", "pg_restore-j2")]:
    print(f"ratio {a} / {b}: time {med[a][0] / med[b][0]:.2f}, peak RSS {med[a][1] / med[b][1]:.2f}")
PY
