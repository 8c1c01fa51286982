#!/bin/sh
# Downtime of a quiesced installation backup, as a share of its wall time, next to the official
# procedure (Cells stopped for the whole copy, here: restic backup of the same folders + dump).
#
#   bench/quiesce-downtime.sh [DATASOURCE_MB]   (default 400)
#
# Builds cellar (Release; CELLAR=path/to/cellar runs a published one, e.g. the Native AOT build
# the README installs) and the bbolt writer that stands in for Cells (it holds the flock of a
# BoltDB store and commits without pause), starts a private MariaDB, creates an installation with
# a DATASOURCE_MB datasource, then runs:
#   1. cellar backup --stop-command/--start-command   (pass 1 while the writer runs, pass 2 stopped)
#   2. peer: stop writer; mariadb-dump; restic backup; start writer     (all of it is downtime)
# Needs: dotnet, go + Debian's golang-github-coreos-bbolt-dev, mariadbd, mariadb-dump, restic.
set -eu
MB=${1:-400}
HERE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/cellar-quiesce-XXXXXX)
MARIADB_PID=
cleanup() {
    [ -f "$WORK/writer.pid" ] && kill "$(cat "$WORK/writer.pid")" 2>/dev/null || true
    [ -n "$MARIADB_PID" ] && kill "$MARIADB_PID" 2>/dev/null && wait "$MARIADB_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "building cellar and the BoltDB writer ..."
if [ -z "${CELLAR:-}" ]; then
    dotnet build -c Release -v q -nologo "$HERE/src/Cellar.Cli/Cellar.Cli.csproj" >/dev/null
    CELLAR="dotnet $HERE/src/Cellar.Cli/bin/Release/net10.0/cellar.dll"
fi
mkdir -p "$WORK/go"
cp "$HERE/tests/Cellar.Testing/Bolt/boltwriter.go" "$WORK/go/"
(cd "$WORK/go" && GO111MODULE=off GOPATH="$WORK/go/path:/usr/share/gocode" GOCACHE="$WORK/go/cache" CGO_ENABLED=0 go build -o boltwriter boltwriter.go)
WRITER="$WORK/go/boltwriter"

echo "starting a private MariaDB ..."
USERARG=; [ "$(id -u)" = 0 ] && USERARG=--user=root
mariadb-install-db --no-defaults --datadir="$WORK/db" --auth-root-authentication-method=normal --skip-test-db $USERARG >/dev/null
mariadbd --no-defaults --skip-networking --socket="$WORK/db.sock" --datadir="$WORK/db" --pid-file="$WORK/db.pid" --skip-log-bin $USERARG >/dev/null 2>&1 &
MARIADB_PID=$!
for _ in $(seq 100); do mariadb --no-defaults --socket="$WORK/db.sock" -uroot -e 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
mariadb --no-defaults --socket="$WORK/db.sock" -uroot -e "CREATE DATABASE cells; CREATE TABLE cells.idm_user_idx_tree (uuid VARCHAR(64) PRIMARY KEY, name TEXT); INSERT INTO cells.idm_user_idx_tree VALUES ('u1','admin'),('u2','user');"

echo "creating an installation with a ${MB} MB datasource ..."
WD="$WORK/cells"
mkdir -p "$WD/data/pydiods1" "$WD/data/.minio.sys" "$WD/services/pydio.grpc.activity" "$WD/services/pydio.grpc.docstore" "$WD/logs"
i=0
while [ $i -lt $((MB / 4)) ]; do head -c 4194304 /dev/urandom > "$WD/data/pydiods1/object-$i"; i=$((i + 1)); done
echo '{"version":"1"}' > "$WD/data/.minio.sys/format.json"
"$WRITER" create "$WD/services/pydio.grpc.docstore/docstore.db" small
"$WRITER" create "$WD/services/pydio.grpc.activity/activities.db" large
cat > "$WD/pydio.json" <<JSON
{"version":"4.4.15",
 "databases":{"main":{"driver":"mysql","dsn":"root@unix($WORK/db.sock)/cells"},
              "pydio.grpc.activity":{"driver":"boltdb","dsn":"$WD/services/pydio.grpc.activity/activities.db"}},
 "defaults":{"database":{"\$ref":"#/databases/main"}},
 "services":{"pydio.grpc.data.sync":{"sources":["pydiods1"]},
             "pydio.grpc.data.sync.pydiods1":{"Name":"pydiods1","FlatStorage":true,"StorageConfiguration":{"folder":"$WD/data/pydiods1"}}}}
JSON

START="nohup '$WRITER' write '$WD/services/pydio.grpc.activity/activities.db' >/dev/null 2>&1 & echo \$! > '$WORK/writer.pid'"
# Stopped = the writer has exited: a zombie counts as stopped (it holds no lock and writes nothing;
# how fast the init process reaps it is the machine's business, not the backup's).
STOP="p=\$(cat '$WORK/writer.pid'); kill \$p; while grep -qs '^State:[[:space:]]*[^Z[:space:]]' /proc/\$p/status; do sleep 0.02; done"
sh -c "$START"; sleep 0.5

export CELLS_WORKING_DIR="$WD" CELLAR_PASSWORD=bench RESTIC_PASSWORD=bench
$CELLAR -r "$WORK/repo-cellar" init >/dev/null
restic -r "$WORK/repo-restic" init >/dev/null 2>&1

echo "cellar: quiesced installation backup ..."
# Each line of cellar's output with the seconds since it started, to see where the downtime goes.
$CELLAR -r "$WORK/repo-cellar" backup --stop-command "$STOP" --start-command "$START" \
  | python3 -u -c 'import sys, time; t = time.time(); [print(f"{time.time() - t:6.2f}  {line}", end="") for line in sys.stdin]' > "$WORK/cellar.out"
sed 's/^/    /' "$WORK/cellar.out"
LINE=$(grep "Cells was stopped for" "$WORK/cellar.out")
DOWN=$(echo "$LINE" | sed 's/.*stopped for \([0-9.]*\) s of \([0-9.]*\) s.*/\1/')
WALL=$(echo "$LINE" | sed 's/.*stopped for \([0-9.]*\) s of \([0-9.]*\) s.*/\2/')

echo "peer: official procedure (stop; mariadb-dump; restic backup; start) ..."
T0=$(date +%s.%N)
sh -c "$STOP"
mariadb-dump --no-defaults --socket="$WORK/db.sock" -uroot --single-transaction cells > "$WD/cells.sql"
restic -r "$WORK/repo-restic" backup -q "$WD"
sh -c "$START"
T1=$(date +%s.%N)
PEER=$(echo "$T1 - $T0" | bc)

echo
printf 'datasource: %s MB\n' "$MB"
printf 'cellar quiesced: downtime %.1f s of %.1f s wall time = %.0f%% (target <= 5%%)\n' "$DOWN" "$WALL" "$(echo "100 * $DOWN / $WALL" | bc -l)"
printf 'peer (stop for the whole copy): downtime %.1f s\n' "$PEER"
printf 'downtime ratio cellar/peer: %.2f\n' "$(echo "$DOWN / $PEER" | bc -l)"
