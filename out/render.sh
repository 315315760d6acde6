#!/usr/bin/env sh
# Regenerates the rendered examples in out/ from the sample inventory.
# Usage (from anywhere): out/render.sh          Needs Graphviz and the Hangul font:
#   apt-get install graphviz fonts-noto-cjk
# Each `run NAME ARGS...` line writes out/NAME.dot and out/NAME.svg; tests/it/render.rs reads
# these lines, regenerates the DOT and fails when a committed out/*.dot is stale.
set -eu
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/ripplemap
inv=inventories/korea-egov.toml

run() {
  name=$1
  shift
  for ext in dot svg; do
    "$bin" render "$inv" "$@" -o "out/$name.$ext"
  done
}

run map-by-site --cluster site
run gpki-failure --fail gpki
run daejeon-fire --fail nirs-daejeon
run change-share-center --change-system share-center
run gpki-around --fail gpki --around gpki --depth 1
run surge-vaccine-booking --surge vaccine-booking=x10 --cluster none

# One PNG (the close-up: the full GPKI failure is a poster-sized bitmap), the HTML report
# of the GPKI failure, and the Mermaid flowchart of the change.
"$bin" render "$inv" --fail gpki --around gpki --depth 1 -o out/gpki-around.png
"$bin" render "$inv" --fail gpki -o out/gpki-failure.html
"$bin" render "$inv" --change-system share-center -o out/change-share-center.mmd

# The recovery timeline of the 2025 Daejeon fire (the site and everything it hosts fail;
# restore times and targets from the sample, 8 crews): the table with what holds the last
# system and Gov24 up, the crews what-if, and the chart.
fire="--fail-where site=nirs-daejeon"
# shellcheck disable=SC2086
{
  "$bin" --color never recover "$inv" $fire --crews 8 --why gov24
  echo
  "$bin" --color never recover "$inv" $fire --crews 1,2,4,8,16,unlimited
} > out/daejeon-fire-recovery.txt
# shellcheck disable=SC2086
"$bin" recover "$inv" $fire --crews 8 --format svg > out/daejeon-fire-recovery.svg
# The vaccine-booking surge as a table, with the cascade of what saturates.
"$bin" surge "$inv" --at vaccine-booking=x10 --cascade --color never > out/surge-vaccine-booking.txt
