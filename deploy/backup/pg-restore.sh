#!/bin/sh
# Restore one service's database from pg-backup.sh's dump into an EMPTY database made by
# deploy/postgres/service-database.psql (so the roles and default privileges exist first), as the
# schema owner; the runtime role's rights come from the owner's default privileges.
# Usage: pg-restore.sh <owner-url> <file>; then `hues migrate <svc> --check` (and `hues migrate <svc>`
# if the dump is from an older release). deploy/README.md ("Backups and restore") says what to do
# with Kafka afterwards.
set -eu
url=${1:?owner database URL}
file=${2:?dump file}
pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$url" "$file"
echo "restore: $(basename "$file") restored" >&2
