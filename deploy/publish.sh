#!/bin/sh
# Rolling publish of a new database to every replica, one at a time
# (docs/DEPLOY.md "Publishing"). Build the database ONCE, then:
#
#   deploy/publish.sh NEW.db host1 host2 host3
#
# 1. makes NEW.db self-contained with `carefinder publish` into a staging
#    file here (checkpointed, rollback-journal mode) and takes its sha256;
# 2. for each replica in turn: copies the staging file beside the live
#    database (scp, to DB.incoming in the same folder, so the switch is a
#    rename), checks the copy's sha256 there, runs `carefinder publish` (an
#    atomic rename; the running server builds the new index while the old
#    one answers, then switches), and waits until the replica's /healthz
#    names the sha256 publish printed before it touches the next replica.
# A replica that fails stops the run: the ones not reached still serve the
# old data, HAProxy keeps sending them traffic, and the run can be repeated.
#
# Settings (environment):
#   CAREFINDER   the binary here and on the replicas (default: carefinder)
#   DB           the live database path on the replicas
#                (default: /srv/carefinder/db/carefinder.db)
#   HEALTH_PORT  the replica's port for /healthz (default: 8081)
#   SSH          how to reach a replica (default: ssh); a replica named
#                "local" is this machine (no ssh, no scp)
#   WAIT         seconds to wait for a replica to switch (default: 120; the
#                shipped set builds its index in about 3 s)
set -eu

CAREFINDER=${CAREFINDER:-carefinder}
DB=${DB:-/srv/carefinder/db/carefinder.db}
HEALTH_PORT=${HEALTH_PORT:-8081}
SSH=${SSH:-ssh}
WAIT=${WAIT:-120}

if [ $# -lt 2 ]; then
  echo "usage: deploy/publish.sh NEW.db REPLICA..." >&2
  exit 64
fi
NEW=$1
shift

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -- "$NEW" "$STAGE/carefinder.db.new"
# Publishing into the staging folder checks the file (schema, quick_check)
# and gives it its final form, so every replica receives the same bytes.
"$CAREFINDER" publish --db "$STAGE/carefinder.db" "$STAGE/carefinder.db.new" >/dev/null
SHA=$(sha256sum "$STAGE/carefinder.db" | cut -d' ' -f1)
echo "publishing $NEW (sha256 $SHA) to $# replica(s)"

on() {  # on HOST COMMAND...: run on a replica
  host=$1
  shift
  if [ "$host" = local ]; then sh -c "$*"; else $SSH "$host" "$*"; fi
}

health_sha() {  # the sha256 a replica's /healthz names ("" if none yet)
  on "$1" "curl -fsS http://127.0.0.1:$HEALTH_PORT/healthz" 2>/dev/null |
    sed -n 's/.*"sha256" *: *"\([0-9a-f]*\)".*/\1/p'
}

for host in "$@"; do
  echo "$host: copying"
  if [ "$host" = local ]; then
    cp -- "$STAGE/carefinder.db" "$DB.incoming"
  else
    scp -q -- "$STAGE/carefinder.db" "$host:$DB.incoming"
  fi
  there=$(on "$host" "sha256sum '$DB.incoming'" | cut -d' ' -f1)
  if [ "$there" != "$SHA" ]; then
    echo "$host: the copy's sha256 is $there, not $SHA: stopping" >&2
    exit 1
  fi
  # `publish` prints the sha256 of the file as it leaves it in place (its
  # header changes when it is opened for writing, so not the copy's).
  said=$(on "$host" "'$CAREFINDER' publish --db '$DB' '$DB.incoming'")
  echo "$host: $said"
  LIVE=$(echo "$said" | sed -n 's/.*sha256 \([0-9a-f]*\)).*/\1/p')
  if [ -z "$LIVE" ]; then
    echo "$host: publish said no sha256: stopping" >&2
    exit 1
  fi
  waited=0
  until [ "$(health_sha "$host")" = "$LIVE" ]; do
    if [ "$waited" -ge "$WAIT" ]; then
      echo "$host: /healthz does not name $LIVE after ${WAIT}s (see its log): stopping" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "$host: serves $LIVE"
done
echo "all $# replica(s) switched to $NEW"
