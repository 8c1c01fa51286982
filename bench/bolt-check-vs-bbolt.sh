#!/bin/sh
# cellar bolt check vs the reference library's Tx.Check (bbolt 1.3.6, Debian sources) on one
# BoltDB file of about 150 MB, side by side with hyperfine. Needs go, golang-github-coreos-bbolt-dev,
# hyperfine and the .NET SDK. Usage: bench/bolt-check-vs-bbolt.sh [WORKDIR]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$root/bench/work/bolt}
mkdir -p "$work/gopath"
cp "$root/tests/Cellar.Testing/Bolt/boltwriter.go" "$work/"
(cd "$work" && GO111MODULE=off GOPATH="$work/gopath:/usr/share/gocode" GOCACHE="$work/gocache" CGO_ENABLED=0 go build -o boltwriter boltwriter.go)
[ -f "$work/huge.db" ] || "$work/boltwriter" create "$work/huge.db" huge
dotnet build -c Release "$root/src/Cellar.Cli" -o "$work/cellar" >/dev/null
ls -l "$work/huge.db"
hyperfine -w 1 -r 5 -N \
  "$work/cellar/cellar bolt check $work/huge.db" \
  "$work/boltwriter check $work/huge.db"
