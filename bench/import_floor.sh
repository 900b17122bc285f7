#!/usr/bin/env bash
# The floor under `rapport bench import`: how long the database itself takes to store the
# rows an import wrote, with nothing of Rapport's in the way. Every row of the tables an
# import fills is copied into empty tables with the same columns and indexes, one
# INSERT … SELECT per table, in one transaction: no CSV, no matching, no per-row statements.
# Rows go in the order the import wrote them, and every index is kept up row by row as an
# import must. Stays, spend lines and profiles go in id order; a profile's identity and
# search keys go with the import batch that created the profile, each batch's keys in key
# order as the import sorts them (the batch of the profile's first stay: 20,000 rows a
# batch, one stay a row in the bench file). That order is prepared before the clock starts. A plain `INSERT INTO t SELECT * FROM u`
# would let SQLite copy each index of u whole, already sorted (its transfer optimisation),
# which no import reading a file can do: 9.2 s for 1M rows here, against 17.6 s
# with the indexes kept up row by row.
#
#   bench/import_floor.sh sqlite PATH.db     # a database `rapport bench import` filled
#   bench/import_floor.sh postgres URL       # likewise, e.g. postgres://postgres@127.0.0.1:5432/rapport_bench
#
# SQLite: the copy goes to PATH.floor.db (removed afterwards) with the import writer's
# page size and settings (WAL, synchronous NORMAL, 512 MiB cache, foreign keys off as for staged import
# batches, triggers left out because the import writes the spend totals itself) and ends,
# like an import, with a passive checkpoint. PostgreSQL: the copy goes to a scratch schema
# `import_floor` in the same database (dropped afterwards), without foreign keys.
set -euo pipefail
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

TABLES="guests stays spend_lines guest_identities guest_search"
KEY_TABLES="guest_identities guest_search"
BATCH_ROWS=20000

# Where the timed copy reads table $1 from: the prepared key order ($2, a table name
# prefix) for the key tables, the imported table itself ($3, a prefix) for the others.
source_of() {
  case " $KEY_TABLES " in *" $1 "*) echo "$2$1" ;; *) echo "$3$1" ;; esac
}

# A query over the imported tables ($1: the schema they are in) that lists a key table's
# rows ($2) in the order the import inserted them.
keys_in_import_order() {
  echo "SELECT k.key, k.guest_id FROM $1.$2 k LEFT JOIN
          (SELECT guest_id, (min(id) - 1) / $BATCH_ROWS AS batch FROM $1.stays GROUP BY guest_id) b
          ON b.guest_id = k.guest_id
        ORDER BY coalesce(b.batch, 0), k.key, k.guest_id"
}

seconds() { date +%s.%N; }

case "${1:-}" in
sqlite)
  src=$2
  [ -f "$src" ] || { echo "no SQLite database at $src" >&2; exit 2; }
  dst="$src.floor.db"
  rm -f "$dst" "$dst-wal" "$dst-shm"
  # Same page size and schema, without the triggers (their bodies span several lines, up
  # to END;).
  page_size=$(sqlite3 "$src" "PRAGMA page_size;")
  sqlite3 "$src" .schema | awk '/^CREATE TRIGGER/ { skip = 1 } !skip { print } /^END;/ { skip = 0 }' \
    | { grep -v '^CREATE TABLE sqlite_' || true; } | { echo "PRAGMA page_size = $page_size;"; cat; } | sqlite3 -bail "$dst"
  ordered="$src.floor-keys.db"
  rm -f "$ordered"
  {
    echo "ATTACH '$src' AS imported;"
    for t in $KEY_TABLES; do echo "CREATE TABLE $t AS $(keys_in_import_order imported "$t");"; done
  } | sqlite3 -bail "$ordered"
  {
    echo "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -524288;"
    echo "PRAGMA wal_autocheckpoint = $((512 * 1024 * 1024 / page_size)); PRAGMA foreign_keys = OFF;"
    echo "ATTACH '$src' AS imported;"
    echo "ATTACH '$ordered' AS ordered;"
    echo "INSERT INTO hotels SELECT * FROM imported.hotels;"
    echo ".timer on"
    echo "BEGIN IMMEDIATE;"
    # The WHERE clause turns the transfer optimisation off.
    for t in $TABLES; do echo "INSERT INTO $t SELECT * FROM $(source_of "$t" ordered. imported.) WHERE true ORDER BY rowid;"; done
    echo "COMMIT;"
    echo "PRAGMA wal_checkpoint(PASSIVE);"
  } > "$dst.sql"
  start=$(seconds)
  sqlite3 -bail "$dst" < "$dst.sql" | { grep -v '^wal$' || true; }
  end=$(seconds)
  rm -f "$dst" "$dst-wal" "$dst-shm" "$dst.sql" "$ordered"
  ;;
postgres)
  url=$2
  copy=$(mktemp --suffix=.sql)
  {
    echo "DROP SCHEMA IF EXISTS import_floor CASCADE; CREATE SCHEMA import_floor;"
    for t in $TABLES; do echo "CREATE TABLE import_floor.$t (LIKE public.$t INCLUDING ALL);"; done
    for t in $KEY_TABLES; do echo "CREATE TABLE import_floor.ordered_$t AS $(keys_in_import_order public "$t");"; done
    echo "CHECKPOINT;"
  } | psql -q -v ON_ERROR_STOP=1 "$url"
  {
    echo '\timing on'
    echo "BEGIN;"
    # A sequential scan returns rows in the order they were written: id order for the
    # append-only tables and the prepared order for the keys, with no sort on the clock.
    for t in $TABLES; do echo "INSERT INTO import_floor.$t SELECT * FROM $(source_of "$t" import_floor.ordered_ public.);"; done
    echo "COMMIT;"
  } > "$copy"
  start=$(seconds)
  psql -q -v ON_ERROR_STOP=1 "$url" -f "$copy"
  end=$(seconds)
  psql -q -v ON_ERROR_STOP=1 "$url" -c "DROP SCHEMA import_floor CASCADE;"
  rm -f "$copy"
  ;;
*)
  echo "usage: $0 sqlite PATH.db | postgres URL" >&2
  exit 2
  ;;
esac

rows=$(case "$1" in
  sqlite) sqlite3 "$2" "SELECT count(*) FROM stays" ;;
  postgres) psql -Atq "$2" -c "SELECT count(*) FROM stays" ;;
esac)
awk -v s="$start" -v e="$end" -v n="$rows" \
  'BEGIN { t = e - s; printf "floor: %d stays and their rows copied in %.1f s = %.0f rows/s\n", n, t, n / t }'
