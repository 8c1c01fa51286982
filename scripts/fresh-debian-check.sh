#!/usr/bin/env bash
# Checks the README's two commands the way a new user meets them: on a fresh Debian 12 (bookworm)
# root that has nothing but the .NET 10 SDK, as root, in a clone of this repository.
#
#   sudo scripts/fresh-debian-check.sh [ROOT]        (default ROOT: /var/tmp/cellar-fresh/root)
#   ONLY=demo sudo scripts/fresh-debian-check.sh ROOT  (the first block only)
#
# What it does, step by step (each step is a plain command, so it can be repeated by hand):
#   1. debootstrap --variant=minbase bookworm ROOT MIRROR  (only when ROOT does not exist yet);
#      MIRROR is the first deb.debian.org-style URI of this machine's apt sources.
#   2. copies in what belongs to the machine rather than to Debian: the .NET SDK folder that
#      `dotnet` resolves to (with a /usr/bin/dotnet link), /etc/resolv.conf, this machine's apt
#      settings (apt.conf.d: e.g. a snapshot mirror's Check-Valid-Until) and the extra CA
#      certificates in /usr/local/share/ca-certificates (a TLS-inspecting proxy's, if any). The
#      Debian package ca-certificates is NOT installed: the README's commands must install it.
#   3. mounts /proc, /sys, /dev, /dev/pts and a tmpfs on /dev/shm inside ROOT.
#   4. clones this checkout's HEAD into ROOT/srv/cellar/cellar (world-readable: the tests run
#      cellar as `nobody`) and copies ../shared (the fixtures) beside it, without write bits, as
#      CI lays it out.
#   5. runs, as root in the chroot with a clean environment and `nice -n 19`, the README's first
#      block (`./cellar demo`) and then its second (`./test`), logging each to
#      /var/tmp/cellar-fresh/{demo,test}.log, and prints both exit codes and the tests line.
#   6. unmounts. The root is kept for the next run; delete it to start from scratch again.
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
root="${1:-/var/tmp/cellar-fresh/root}"
logs="$(dirname "$root")"
[ "$(id -u)" = 0 ] || { echo "fresh-debian-check: run as root (debootstrap, chroot and mounts need it)." >&2; exit 2; }
mkdir -p "$logs"

if [ ! -x "$root/bin/bash" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  mirror=$(grep -hoE '^(URIs:|deb) *[^ ]*debian/?' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | awk '{print $2}' | head -1)
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "== debootstrap bookworm $root from $mirror"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$logs/debootstrap.log" 2>&1 \
    || { echo "debootstrap failed; see $logs/debootstrap.log" >&2; exit 1; }
fi

echo "== copying in the .NET SDK, DNS, apt settings and extra CA certificates"
dotnet_dir=$(dirname "$(readlink -f "$(command -v dotnet)")")
mkdir -p "$root$dotnet_dir"
cp -a "$dotnet_dir/." "$root$dotnet_dir/"
ln -sf "$dotnet_dir/dotnet" "$root/usr/bin/dotnet"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
for f in /etc/apt/apt.conf.d/*; do
  case "$(basename "$f")" in docker-*|01autoremove|20packagekit|50appstream|70debconf) ;; *) cp -L "$f" "$root/etc/apt/apt.conf.d/";; esac
done
mkdir -p "$root/usr/local/share/ca-certificates"
cp -L /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null || true

echo "== mounting /proc /sys /dev /dev/pts /dev/shm"
mounted=()
mount_in() { mountpoint -q "$root$2" || { mkdir -p "$root$2" && mount "${@:3}" "$1" "$root$2" && mounted=("$root$2" "${mounted[@]}"); }; }
mount_in proc /proc -t proc
mount_in sysfs /sys -t sysfs
mount_in /dev /dev --bind
mount_in devpts /dev/pts -t devpts
mount_in shm /dev/shm -t tmpfs -o mode=1777
cleanup() {
  # End what the run left in the chroot (e.g. a database server a package started), by pid.
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill "${p#/proc/}" 2>/dev/null
  done
  sleep 1
  for m in "${mounted[@]}"; do umount -l "$m"; done
}
trap cleanup EXIT

echo "== cloning $(git -C "$here" rev-parse --short HEAD) into /srv/cellar/cellar"
rm -rf "$root/srv/cellar"
mkdir -p "$root/srv/cellar"
chmod 755 "$root/srv" "$root/srv/cellar"
git clone -q "$here" "$root/srv/cellar/cellar"
git -C "$root/srv/cellar/cellar" checkout -q "$(git -C "$here" rev-parse HEAD)"
if [ -d "$here/../shared" ]; then
  cp -a "$(readlink -f "$here/../shared")" "$root/srv/cellar/shared"
  chmod -R a-w "$root/srv/cellar/shared"
fi

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ${NUGET_CERT_REVOCATION_MODE:+NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE} \
    /bin/bash -c "cd /srv/cellar/cellar && $1"
}
echo "== README block 1: ./cellar demo (log: $logs/demo.log)"
in_root 'nice -n 19 ./cellar demo' >"$logs/demo.log" 2>&1
demo=$?
tail -5 "$logs/demo.log"
if [ "${ONLY:-}" = demo ]; then echo "demo exit code: $demo"; exit "$demo"; fi
echo "== README block 2: ./test (log: $logs/test.log)"
in_root 'nice -n 19 ./test' >"$logs/test.log" 2>&1
tests=$?
echo "demo exit code: $demo; ./test exit code: $tests"
grep -E '^tests: ' "$logs/test.log" | tail -1
[ "$demo" = 0 ] && [ "$tests" = 0 ]
