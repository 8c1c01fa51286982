#!/usr/bin/env bash
# Side by side: `cellar db dump` vs `mariadb-dump --single-transaction`, and `cellar db restore` vs
# `mariadb < dump.sql`, on a 200,000-row Cells-shaped table pair (idx_tree-like with binary MPATH
# columns and hashes, plus a commits table), on a private mariadbd started here.
# Usage: bench/db-vs-mariadb-dump.sh [ROWS]   (needs mariadbd, mariadb, mariadb-dump, hyperfine, dotnet)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-200000}
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
# The published build (ReadyToRun), as users install it.
dotnet publish src/Cellar.Cli -c Release -o "$WORK/cellar-bin" -v q -nologo >/dev/null
CELLAR="$WORK/cellar-bin/cellar"
DSN="root@unix($WORK/sock)/cells"
"$CELLAR" db dump --dsn "$DSN" -o "$WORK/cellar.sql"
mariadb-dump --no-defaults -S "$WORK/sock" -uroot --single-transaction --hex-blob cells >"$WORK/mariadb.sql"
ls -l "$WORK/cellar.sql" "$WORK/mariadb.sql"
hyperfine -w 1 -r 5 --export-json "$WORK/dump.json" \
  -n "cellar db dump" "$CELLAR db dump --dsn '$DSN' -o $WORK/c.sql" \
  -n "mariadb-dump --single-transaction" "mariadb-dump --no-defaults -S $WORK/sock -uroot --single-transaction --hex-blob cells > $WORK/m.sql"
R="$DSN"; R=${R%/cells}/restore
hyperfine -w 1 -r 5 --export-json "$WORK/restore.json" \
  -p "${M[*]} -e 'DROP DATABASE IF EXISTS restore; CREATE DATABASE restore'" \
  -n "cellar db restore" "$CELLAR db restore --dsn '$R' --force $WORK/cellar.sql" \
  -n "mariadb < dump.sql" "${M[*]} restore < $WORK/mariadb.sql"
python3 - "$WORK/dump.json" "$WORK/restore.json" <<'PY'
import json, sys
for f in sys.argv[1:]:
    r = json.load(open(f))["results"]
    print(f"{r[0]['command']}: {r[0]['mean']:.2f}s  {r[1]['command']}: {r[1]['mean']:.2f}s  ratio {r[0]['mean']/r[1]['mean']:.2f}")
PY
