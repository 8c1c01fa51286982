#!/usr/bin/env bash
# Side by side, in one run, on a ROWS-row Cells-shaped table pair (idx_tree-like with binary MPATH
# columns and hashes, plus a commits table) in a private mariadbd started here, each command RUNS
# times with its mean wall time and peak RSS (GNU time):
#   dump: `cellar db dump --dir --parallel 2` vs `mydumper -t 2` (same tables, same threads),
#         and `cellar db dump -o` vs `mariadb-dump --single-transaction` (one SQL file);
#   load: `cellar db restore --parallel 2 DIR` vs `myloader -t 2`, and `cellar db restore FILE` vs `mariadb < FILE`.
# Big tables are split into key ranges of 200,000 rows (Cellar's default; mydumper only with --rows):
# at 400,000 rows each table is two ranges, read and loaded on the 2 connections of both tools.
# Usage: [CELLAR=published/cellar] bench/db-vs-mariadb-dump.sh [ROWS] [RUNS]   (needs mariadbd, mariadb, mariadb-dump, mydumper, myloader, dotnet)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-200000}
RUNS=${2:-3}
WORK=$(mktemp -d)
trap 'kill $(cat $WORK/pid 2>/dev/null) 2>/dev/null || true; sleep 1; rm -rf "$WORK"' EXIT
USER_ARG=(); [ "$(id -u)" = 0 ] && USER_ARG=(--user=root)
mariadb-install-db --no-defaults --datadir="$WORK/data" --auth-root-authentication-method=normal --skip-test-db "${USER_ARG[@]}" >/dev/null 2>&1
mariadbd --no-defaults --skip-name-resolve --socket="$WORK/sock" --skip-networking --datadir="$WORK/data" --pid-file="$WORK/pid" \
  --innodb-buffer-pool-size=256M --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=2 --skip-log-bin --max-allowed-packet=64M "${USER_ARG[@]}" >"$WORK/log" 2>&1 &
for _ in $(seq 100); do [ -S "$WORK/sock" ] && mariadb --no-defaults -S "$WORK/sock" -uroot -e 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
M=(mariadb --no-defaults --default-character-set=utf8mb4 -S "$WORK/sock" -uroot)
"${M[@]}" -e "CREATE DATABASE cells CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
"${M[@]}" cells <<SQL
CREATE TABLE data_idx_tree (uuid VARCHAR(128) NOT NULL, level SMALLINT NOT NULL, hash VARCHAR(40) NOT NULL, hash2 VARCHAR(50) NOT NULL,
  name VARCHAR(255) NOT NULL, leaf TINYINT(1), mtime INT NOT NULL, etag VARCHAR(255), size BIGINT, mode VARCHAR(10),
  mpath1 VARBINARY(255) NOT NULL, mpath2 VARBINARY(255) NOT NULL, mpath3 VARBINARY(255) NOT NULL, mpath4 VARBINARY(255) NOT NULL, rat BLOB,
  PRIMARY KEY (uuid), UNIQUE KEY (hash), KEY (level), KEY (mpath1(64))) ENGINE=InnoDB;
CREATE TABLE data_commits (id BIGINT NOT NULL AUTO_INCREMENT, uuid VARCHAR(128) NOT NULL, etag VARCHAR(255), size BIGINT, mtime INT,
  cdate FLOAT, data BLOB, PRIMARY KEY (id), KEY (uuid)) ENGINE=InnoDB;
SET @r = 0;
INSERT INTO data_idx_tree SELECT UUID(), 1 + seq % 12, SHA1(seq), MD5(seq), CONCAT('file ', seq, ' é😀.txt'), seq % 2, 1700000000 + seq, MD5(seq * 7),
  seq * 1024, '0775', UNHEX(SHA2(seq, 256)), UNHEX(SHA2(seq + 1, 256)), UNHEX(MD5(seq)), '', RANDOM_BYTES(32) FROM seq_1_to_${ROWS};
INSERT INTO data_commits (uuid, etag, size, mtime, cdate, data) SELECT UUID(), MD5(seq), seq, 1700000000 + seq, RAND() * 1e9, RANDOM_BYTES(48) FROM seq_1_to_${ROWS};
SQL
# The published build (Native AOT), as users install it; CELLAR=path uses one already published.
if [ -z "${CELLAR:-}" ]; then
  . scripts/dotnet-prerequisites.sh
  publish_native "$WORK/cellar-bin" "$WORK/publish.log" || { echo "the native build failed: see $WORK/publish.log" >&2; exit 1; }
  CELLAR="$WORK/cellar-bin/cellar"
fi
DSN="root@unix($WORK/sock)/cells"
R="${DSN%/cells}/restore"
S=(--no-defaults -S "$WORK/sock" -uroot)
# measure NAME PREPARE COMMAND: RUNS runs, mean seconds and the highest peak RSS (MB) of the command.
measure() {
    name=$1; prepare=$2; command=$3; total=0; peak=0
    for _ in $(seq "$RUNS"); do
        sh -c "$prepare"
        /usr/bin/time -f '%e %M' -o "$WORK/time" sh -c "$command" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
        read -r secs kb <"$WORK/time"
        total=$(echo "$total + $secs" | bc); [ "$kb" -gt "$peak" ] && peak=$kb
    done
    mean=$(echo "scale=2; $total / $RUNS" | bc)
    printf '%-44s %6.2f s  %5d MB\n' "$name" "$mean" $((peak / 1024)) | tee -a "$WORK/results"
    eval "T_$4=$mean; M_$4=$peak"
}
FRESH="$(printf '%q ' "${M[@]}") -e 'DROP DATABASE IF EXISTS restore; CREATE DATABASE restore CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'"
"$CELLAR" db dump --dsn "$DSN" --dir "$WORK/cellar-dir" --parallel 2 >/dev/null
"$CELLAR" db dump --dsn "$DSN" -o "$WORK/cellar.sql" >/dev/null
mydumper -S "$WORK/sock" -u root -B cells -t 2 -o "$WORK/mydumper-dir"
mariadb-dump "${S[@]}" --single-transaction --hex-blob cells >"$WORK/mariadb.sql"
du -sh "$WORK/cellar-dir" "$WORK/mydumper-dir" "$WORK/cellar.sql" "$WORK/mariadb.sql"
echo "$ROWS rows per table, mean of $RUNS runs, peak RSS; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "cellar db dump --dir --parallel 2" "rm -rf $WORK/d1" "$CELLAR db dump --dsn '$DSN' --dir $WORK/d1 --parallel 2" cd
measure "mydumper -t 2" "rm -rf $WORK/d2" "mydumper -S $WORK/sock -u root -B cells -t 2 -o $WORK/d2" md
measure "cellar db dump -o FILE" "true" "$CELLAR db dump --dsn '$DSN' -o $WORK/c.sql" cf
measure "mariadb-dump --single-transaction" "true" "mariadb-dump ${S[*]} --single-transaction --hex-blob cells > $WORK/m.sql" mf
measure "cellar db restore --parallel 2 DIR" "$FRESH" "$CELLAR db restore --dsn '$R' --force --parallel 2 $WORK/cellar-dir" cl
measure "myloader -t 2" "$FRESH" "myloader -S $WORK/sock -u root -B restore -t 2 -o -d $WORK/mydumper-dir" ml
measure "cellar db restore FILE" "$FRESH" "$CELLAR db restore --dsn '$R' --force $WORK/cellar.sql" cr
measure "mariadb < dump.sql" "$FRESH" "$(printf '%q ' "${M[@]}") restore < $WORK/mariadb.sql" mr
echo
printf 'Cellar/mydumper dump: %.2f   Cellar/myloader load: %.2f\n' "$(echo "$T_cd / $T_md" | bc -l)" "$(echo "$T_cl / $T_ml" | bc -l)"
printf 'Cellar/mariadb-dump: %.2f    Cellar/mariadb load: %.2f\n' "$(echo "$T_cf / $T_mf" | bc -l)" "$(echo "$T_cr / $T_mr" | bc -l)"
