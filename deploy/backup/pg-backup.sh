#!/bin/sh
# Back up one service's database as the schema owner: a custom-format dump (compressed, restorable
# table by table). Usage: pg-backup.sh <owner-url> <file>
#   deploy/backup/pg-backup.sh postgresql://feedback_owner:...@db:5432/feedback feedback-$(date -u +%Y%m%dT%H%M%SZ).dump
# The URL is libpq's (postgresql://...), not SQLAlchemy's (drop "+asyncpg").
set -eu
url=${1:?owner database URL}
file=${2:?output file}
pg_dump --format=custom --no-owner --no-privileges --file="$file" "$url"
echo "backup: $(basename "$file") written" >&2
