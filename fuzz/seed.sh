#!/usr/bin/env sh
# Fills fuzz/corpus/<target>/ with the project's own inventories and fixtures, good and bad,
# so that fuzzing starts from inputs that reach deep into each loader.
set -eu
cd "$(dirname "$0")/.."
for t in load_toml load_json load_csv load_xlsx query; do mkdir -p "fuzz/corpus/$t"; done
for f in inventories/*.toml tests/fixtures/*/*.toml tests/fixtures/*/*/*.toml; do
  [ -f "$f" ] || continue
  cp "$f" "fuzz/corpus/load_toml/$(echo "$f" | tr / _)"
  # query: four scenario bytes, then the inventory
  { printf '\001\002\003\004'; cat "$f"; } > "fuzz/corpus/query/$(echo "$f" | tr / _)"
done
for f in tests/fixtures/*/*.json tests/fixtures/*/*/*.json; do
  [ -f "$f" ] && cp "$f" "fuzz/corpus/load_json/$(echo "$f" | tr / _)"
done
for d in inventories/korea-egov tests/fixtures/*/* tests/fixtures/encodings/*; do
  [ -f "$d/systems.csv" ] || continue
  out="fuzz/corpus/load_csv/$(echo "$d" | tr / _)"
  { cat "$d/systems.csv"; printf '\000'; cat "$d/links.csv" 2>/dev/null || true
    printf '\000'; cat "$d/groups.csv" 2>/dev/null || true
    printf '\000'; cat "$d/policy.csv" 2>/dev/null || true; } > "$out"
done
for f in inventories/*.xlsx tests/fixtures/*/*.xlsx; do
  [ -f "$f" ] && cp "$f" "fuzz/corpus/load_xlsx/$(echo "$f" | tr / _)"
done
echo "seeded: $(find fuzz/corpus -type f | wc -l) files"
