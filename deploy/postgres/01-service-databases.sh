#!/bin/sh
# Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d): a database
# and two roles per service (service-database.psql). Passwords come from the container's environment
# (docker-compose.yml): <SVC>_DB_OWNER_PASSWORD and <SVC>_DB_PASSWORD, or <VAR>_FILE pointing at a secret.
set -eu
secret() {  # secret NAME: the value of $NAME, or the content of the file $NAME_FILE names
  file=$(eval echo "\${${1}_FILE:-}")
  if [ -n "$file" ]; then cat "$file"; else eval echo "\${${1}:?set ${1} or ${1}_FILE}"; fi
}
for svc in identity integration feedback notification catalog; do
  upper=$(echo "$svc" | tr '[:lower:]' '[:upper:]')
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v svc="$svc" -v owner_password="$(secret "${upper}_DB_OWNER_PASSWORD")" \
    -v app_password="$(secret "${upper}_DB_PASSWORD")" \
    -f /docker-entrypoint-initdb.d/service-database.psql
done
