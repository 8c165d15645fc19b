#!/usr/bin/env bash
# `make bench` prerequisites: wrk, a running PostgreSQL with the bench database, Redis, Varnish.
# Installs and starts only what is missing (Debian packages; run as root, as on these machines).
set -euo pipefail
database_url="${1:?usage: bench/services.sh DATABASE_URL}"
export DEBIAN_FRONTEND=noninteractive

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The "varnish" configuration (bench/varnish.py): varnishd and the xkey module the VCL imports.
[ -x /usr/sbin/varnishd ] || command -v varnishd >/dev/null 2>&1 || missing+=(varnish)
compgen -G "/usr/lib/*/varnish/vmods/libvmod_xkey.so" >/dev/null || missing+=(varnish-modules)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}…"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start
    for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
    for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

name="${database_url##*/}"
server="${database_url%/*}/postgres"
if [ "$(psql "$server" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
    psql "$server" -qc "CREATE DATABASE \"$name\""
fi
