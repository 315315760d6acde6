#!/usr/bin/env bash
# compare-outputs.sh: prove that two ripplemap binaries give byte-identical outputs.
#
# For refactors whose rule is "every output stays the same": runs a corpus of about
# 1,300 invocations (every command, every output format, error paths included) with
# OLD_BIN and with NEW_BIN, and compares stdout, stderr, the exit code and every file
# written with -o, byte for byte.
#
# Usage (from anywhere):
#   scripts/compare-outputs.sh OLD_BIN NEW_BIN [WORKDIR]      WORKDIR: /tmp/ripplemap-compare
#   FULL=1 scripts/compare-outputs.sh ...     also the 50,000-node inventory (minutes)
#   KEEP=1 scripts/compare-outputs.sh ...     keep the outputs of identical runs too
# e.g. cargo build --release && cp target/release/ripplemap /tmp/before   (before the change)
#      scripts/compare-outputs.sh /tmp/before target/release/ripplemap     (after it)
#
# The inputs are generated once into WORKDIR with OLD_BIN (gen5k, gen1k, gen1k-next,
# gen200.toml, korea-egov.json, and gen50k with FULL=1) and reused by later runs; delete
# them to regenerate. Run NNNN keeps its command line (cmd), stdout, stderr, rc and out/
# (files written with -o) in WORKDIR/old/NNNN and WORKDIR/new/NNNN; only the differing
# runs are kept unless KEEP=1.
# Prints one line per differing run, then "N runs, M identical, K different"; exits 1 if
# any run differs.
#
# Both binaries are called through a symlink named `ripplemap` (clap prints the name of
# the program in usage lines), from the repository root (inventory paths are relative),
# with NO_COLOR=1 and COLUMNS unset; -o paths go through WORKDIR/cur, a symlink switched
# to old/ or new/, so that a path printed in a message is the same for both.
set -euo pipefail

die() {
	echo "compare-outputs: $*" >&2
	exit 2
}

[[ $# -ge 2 && $# -le 3 ]] || die "usage: $0 OLD_BIN NEW_BIN [WORKDIR]"

# Absolute paths, before leaving the caller's directory.
binpath() {
	local p=$1
	if [[ $p != */* ]]; then
		p=$(command -v -- "$p") || die "not found: $1"
	fi
	[[ -f $p && -x $p ]] || die "not an executable file: $1"
	echo "$(cd "$(dirname "$p")" && pwd)/$(basename "$p")"
}
OLD=$(binpath "$1")
NEW=$(binpath "$2")
W=${3:-/tmp/ripplemap-compare}
mkdir -p "$W"
W=$(cd "$W" && pwd)
cd "$(dirname "$0")/.."

export NO_COLOR=1
unset COLUMNS CLICOLOR CLICOLOR_FORCE

start=$SECONDS

# --- inputs (made once with OLD_BIN, reused when present) ---------------------------------

# prepare NAME ARGS...: OLD_BIN ARGS... -o WORKDIR/NAME, unless it is already there.
prepare() {
	local name=$1
	shift
	[[ -e $W/$name ]] && return 0
	echo "preparing $W/$name" >&2
	rm -rf "${W:?}/$name.tmp"
	"$OLD" "$@" -o "$W/$name.tmp" >/dev/null
	mv "$W/$name.tmp" "$W/$name"
}
prepare gen5k generate --nodes 5000 --links 50000 --seed 42 --to csv
prepare gen1k generate --nodes 1000 --links 8000 --seed 7 --to csv
prepare gen200.toml generate --nodes 200 --links 1500 --seed 7 --to toml
prepare korea-egov.json convert inventories/korea-egov.toml --to json
if [[ ${FULL:-0} == 1 ]]; then
	prepare gen50k generate --nodes 50000 --links 500000 --seed 42 --to csv
fi
# gen1k-next: gen1k with one link in 97 removed (links outside groups) and one grade
# raised, a plausible next version for `diff`.
if [[ ! -e $W/gen1k-next ]]; then
	rm -rf "$W/gen1k-next.tmp"
	cp -r "$W/gen1k" "$W/gen1k-next.tmp"
	awk -F, 'NR == 1 || $8 != "" || NR % 97 != 0' "$W/gen1k/links.csv" >"$W/gen1k-next.tmp/links.csv"
	sed -i 's/^\(sys-00042,[^,]*,[^,]*,[^,]*\),[0-9]*,/\1,1,/' "$W/gen1k-next.tmp/systems.csv"
	mv "$W/gen1k-next.tmp" "$W/gen1k-next"
fi
mkdir -p "$W/empty-dir" # a directory without links.csv

# --- the runner ---------------------------------------------------------------------------

rm -rf "${W:?}/old" "${W:?}/new" "${W:?}/cur" "${W:?}/bin"
mkdir -p "$W/old" "$W/new" "$W/bin/old" "$W/bin/new"
ln -s "$OLD" "$W/bin/old/ripplemap"
ln -s "$NEW" "$W/bin/new/ripplemap"

runs=0
identical=0
different=0

# run ARGS...: ripplemap ARGS... with both binaries; @OUT@ in an argument is this run's
# own output directory (it exists and is empty).
run() {
	runs=$((runs + 1))
	local id side a
	printf -v id '%04d' "$runs"
	local args=() rc=()
	for a in "$@"; do
		args+=("${a//@OUT@/$W/cur/$id/out}")
	done
	mkdir -p "$W/old/$id/out" "$W/new/$id/out"
	for side in old new; do
		ln -sfn "$side" "$W/cur"
		"$W/bin/$side/ripplemap" "${args[@]}" >"$W/$side/$id/stdout" 2>"$W/$side/$id/stderr" </dev/null && rc+=(0) || rc+=($?)
		echo "${rc[-1]}" >"$W/$side/$id/rc"
		printf '%q ' ripplemap "${args[@]}" >"$W/$side/$id/cmd"
	done
	local o=$W/old/$id n=$W/new/$id what=()
	cmp -s "$o/stdout" "$n/stdout" || what+=(stdout)
	cmp -s "$o/stderr" "$n/stderr" || what+=(stderr)
	[[ ${rc[0]} == "${rc[1]}" ]] || what+=("exit code ${rc[0]} vs ${rc[1]}")
	if compgen -G "$o/out/*" >/dev/null || compgen -G "$n/out/*" >/dev/null; then
		diff -r -q "$o/out" "$n/out" >/dev/null 2>&1 || what+=("files written")
	fi
	if [[ ${#what[@]} -eq 0 ]]; then
		identical=$((identical + 1))
		[[ ${KEEP:-0} == 1 ]] || done_dirs+=("$o" "$n")
		if [[ ${#done_dirs[@]} -ge 100 ]]; then
			rm -rf "${done_dirs[@]}"
			done_dirs=()
		fi
	else
		different=$((different + 1))
		local IFS=,
		echo "DIFF $id [${what[*]}]: ripplemap $(printf '%q ' "$@")"
	fi
}
done_dirs=() # outputs of identical runs, removed in batches

section() {
	echo "# $* (from run $((runs + 1)))" >&2
}

# node_ids FILE.toml: the ids of the [[site]] and [[system]] tables.
node_ids() {
	awk '/^\[\[/ { s = $0 }
	     s ~ /^\[\[(site|system)\]\]/ && /^id[ \t]*=/ { v = $0; sub(/^[^"]*"/, "", v); sub(/".*$/, "", v); print v }' "$1"
}
# link_ids FILE.toml: the explicit ids of the [[link]] tables.
link_ids() {
	awk '/^\[\[/ { s = $0 }
	     s ~ /^\[\[link\]\]/ && /^id[ \t]*=/ { v = $0; sub(/^[^"]*"/, "", v); sub(/".*$/, "", v); print v }' "$1"
}

S=inventories/korea-egov.toml # the sample
SC=inventories/korea-egov     # the same as a CSV directory
SJ=$W/korea-egov.json         # the same as JSON
NEXT=tests/fixtures/diff/korea-egov-next.toml
G5=$W/gen5k
G1=$W/gen1k
G1N=$W/gen1k-next
G200=$W/gen200.toml
G50=$W/gen50k
TEACH=(inventories/teach-*.toml)

mapfile -t NODES < <(node_ids "$S")
mapfile -t LINKS < <(link_ids "$S")
[[ ${#NODES[@]} -ge 80 && ${#LINKS[@]} -ge 50 ]] || die "could not read the ids of $S"
# a few links with a default id (consumer->provider), from the CSV form
mapfile -t DEFAULT_LINKS < <(tail -n +2 "$SC/links.csv" | cut -d, -f1 | grep -- '->' | awk 'NR % 40 == 1')
GRADE1=(gov24 saeol gpki hometax koneps resident-reg share-center relief-pay)
HUBS=(svc-001 svc-002 svc-003 svc-004 svc-005 svc-006 svc-007 svc-008 svc-009 svc-010
	svc-011 svc-012 svc-013 svc-014 svc-015 dc-01 dc-02 net-01 ext-001 sys-00100)

# --- check ----------------------------------------------------------------------------------

section "check: every fixture, the sample in its three forms, generated inventories"
for f in tests/fixtures/*/* "$S" "$SC" "$SC/" "$SJ" "${TEACH[@]}" "$G200" "$G1" "$G1N" "$G5"; do
	for fmt in table json sarif; do
		run check "$f" --format "$fmt"
	done
done
run check "$W/empty-dir"
run check tests/fixtures/does-not-exist.toml
run check "$S" --format bogus

# --- impact ---------------------------------------------------------------------------------

section "impact: every node of the sample alone, JSON"
for id in "${NODES[@]}"; do
	run impact "$S" --fail "$id" --format json
done
section "impact: a third of the nodes as tables, with and without a horizon"
for i in "${!NODES[@]}"; do
	case $((i % 3)) in
	0) run impact "$S" --fail "${NODES[i]}" ;;
	1) run impact "$S" --fail "${NODES[i]}" --hours 4 ;;
	2) run impact "$S" --fail "${NODES[i]}" --hours 56 --format json ;;
	esac
done
for h in 0 0.5 4 12 24 56 72 1000; do
	run impact "$S" --fail gpki --hours "$h"
done
run impact "$S" --fail gpki-router --hours 56 --format json
section "impact: links, selections, several failures"
for l in saeol-login-gpki gpki-via-router gpki-router-uplink local-tax-nts-batch \
	census-register-nightly-resident-extract vaccine-booking-pool-naver "${DEFAULT_LINKS[@]}"; do
	run impact "$S" --fail-link "$l"
	run impact "$S" --fail-link "$l" --hours 24 --format json
done
run impact "$S" --fail-link saeol-login-gpki --fail-link resident-reg-login-gpki
run impact "$S" --fail-link gov24-login-one-pass --fail-link gov24-login-joint-cert --fail-link gov24-login-kakao
for sel in site=nirs-daejeon site=nirs-gwangju site=nirs-daegu agency=MOIS "agency=National Tax Service" \
	tag=auth tag=2023-outage tag=citizen-facing kind=service kind=site kind=network kind=external kind=system; do
	run impact "$S" --fail-where "$sel"
	run impact "$S" --fail-where "$sel" --format json
done
run impact "$S" --fail-where site=nirs-daejeon --hours 24
run impact "$S" --fail-where tag=auth --fail-where agency=MOIS --hours 4
run impact "$S" --fail-where site=nirs-daejeon --fail gpki --fail-link kosis-stats-census-register --format json
run impact "$S" --fail gpki --fail one-pass
run impact "$S" --fail gpki,one-pass,gov-net --format json
run impact "$S" --fail gpki --fail gpki
run impact "$S" --fail nirs-daejeon --fail nirs-gwangju --hours 56
run impact "$S" --fail gpki --fail-link vaccine-booking-pool-kt --hours 12 --format json
section "impact: error paths"
run impact "$S" --fail gpi
run impact "$S" --fail no-such-node --format json
run impact "$S" --fail gpki --fail nirs-daejon
run impact "$S" --fail-link saeol-login-gpk
run impact "$S" --fail-where color=red
run impact "$S" --fail-where site=nowhere
run impact "$S" --fail-where kind=servce
run impact "$S" --fail-where agency
run impact "$S"
run impact "$S" --fail ""
run impact tests/fixtures/bad/five_errors.toml --fail gpki
section "impact: teaching inventories, every node"
for f in "${TEACH[@]}"; do
	mapfile -t ids < <(node_ids "$f")
	for id in "${ids[@]}"; do
		run impact "$f" --fail "$id"
		run impact "$f" --fail "$id" --hours 1 --format json
	done
done
run impact inventories/teach-k-of-n.toml --fail bank-a --fail bank-b
run impact inventories/teach-k-of-n.toml --fail bank-a,bank-b,bank-c --hours 1
section "impact: the CSV and JSON forms, fixtures"
for id in gpki gpki-router nirs-daejeon share-center gov-net one-pass; do
	run impact "$SC" --fail "$id"
	run impact "$SC" --fail "$id" --format json
	run impact "$SJ" --fail "$id" --hours 56
done
run impact "$SC" --fail-where site=nirs-daejeon --format json
run impact "$SC" --fail-link saeol-login-gpki
for f in tests/fixtures/cli/group.toml tests/fixtures/render/hostile.toml tests/fixtures/analyses/*.toml; do
	mapfile -t ids < <(node_ids "$f")
	for id in "${ids[@]}"; do
		run impact "$f" --fail "$id" --format json
	done
	run impact "$f" --fail "${ids[0]}"
done
mapfile -t ids < <(node_ids tests/fixtures/cli/chain.toml)
for f in tests/fixtures/cli/chain.toml tests/fixtures/cli/chain tests/fixtures/cli/chain.json; do
	for id in "${ids[@]}"; do
		run impact "$f" --fail "$id" --format json
	done
	run impact "$f" --fail auth --hours 4
done
section "impact: hubs of the generated inventories"
for i in "${!HUBS[@]}"; do
	if ((i % 2)); then
		run impact "$G5" --fail "${HUBS[i]}"
	else
		run impact "$G5" --fail "${HUBS[i]}" --format json
	fi
done
run impact "$G5" --fail svc-001 --hours 4 --format json
run impact "$G5" --fail-where kind=service --hours 24 --format json
run impact "$G5" --fail-link l000001
for id in svc-001 svc-002 sys-00042 ext-001; do
	run impact "$G1" --fail "$id" --format json
	run impact "$G1N" --fail "$id" --hours 12
done
run impact "$G200" --fail svc-001
run impact "$G200" --fail dc-01 --format json

# --- change ---------------------------------------------------------------------------------

section "change: every node of the sample, JSON; a quarter as tables"
for i in "${!NODES[@]}"; do
	run change "$S" --system "${NODES[i]}" --format json
	((i % 4)) || run change "$S" --system "${NODES[i]}"
done
section "change: every named link of the sample, tables and JSON"
for i in "${!LINKS[@]}"; do
	if ((i % 2)); then
		run change "$S" --link "${LINKS[i]}"
	else
		run change "$S" --link "${LINKS[i]}" --format json
	fi
done
for l in "${DEFAULT_LINKS[@]}"; do
	run change "$S" --link "$l"
done
section "change: several items, other forms, errors"
run change "$S" --system gpki --system share-center
run change "$S" --system gpki,share-center,gov-net --format json
run change "$S" --system gpki --link saeol-login-gpki
run change "$S" --link saeol-login-gpki --link koneps-sign-gpki --format json
run change "$SC" --system share-center
run change "$SJ" --system gpki --format json
run change "$S" --system gpi
run change "$S" --link nope
run change "$S"
for f in "${TEACH[@]}"; do
	mapfile -t ids < <(node_ids "$f")
	for id in "${ids[@]}"; do
		run change "$f" --system "$id"
	done
done
for id in svc-001 svc-002 dc-01 sys-00100; do
	run change "$G5" --system "$id" --format json
done
run change "$G5" --system svc-003
run change "$G1" --system svc-001
run change "$G200" --system svc-001 --format json

# --- assess ---------------------------------------------------------------------------------

section "assess"
for id in gpki share-center gov24 nirs-daejeon gov-net one-pass; do
	run assess "$S" --system "$id"
	run assess "$S" --system "$id" --format json
	run assess "$S" --system "$id" --window 4h
	run assess "$S" --system "$id" --window 4h --format json
done
for win in 0 30m 1h30m 2d 56h; do
	run assess "$S" --system gpki --window "$win"
done
run assess "$S" --link saeol-login-gpki
run assess "$S" --link saeol-login-gpki --format json --window 2h
run assess "$S" --system gpki,one-pass --link gov24-login-kakao --window 1h
run assess "$S" --system share-center --level 1='independent review' --level 3='regression test by every consumer'
run assess "$S" --system share-center --level 2=sign-off --format json
run assess "$S" --system gpki --level 4='notify only' --window 30m
run assess "$SC" --system gpki --window 4h
run assess "$SJ" --system gpki --format json
run assess inventories/teach-batch-tolerance.toml --system registry --window 2h
run assess "$G1" --system svc-001 --window 4h
run assess "$G5" --system svc-002 --format json
run assess "$S" --system gpki --window soon
run assess "$S" --system gpki --level 5=x
run assess "$S" --system gpki --level nonsense
run assess "$S"
run assess "$S" --system gpi

# --- diff -----------------------------------------------------------------------------------

section "diff"
for fmt in table json md; do
	run diff "$S" "$NEXT" --format "$fmt"
	run diff "$NEXT" "$S" --format "$fmt"
	run diff "$S" "$SC" --format "$fmt"
	run diff "$SC" "$SJ" --format "$fmt"
	run diff "$G1" "$G1N" --format "$fmt"
	run diff "$G1N" "$G1" --format "$fmt"
	run diff inventories/teach-k-of-n.toml tests/fixtures/cli/group.toml --format "$fmt"
	run diff tests/fixtures/policy/single-site-no.toml tests/fixtures/policy/single-site-yes.toml --format "$fmt"
	run diff tests/fixtures/cli/chain.toml tests/fixtures/cli/chain --format "$fmt"
done
run diff "$S" inventories/teach-soft-link.toml
run diff "$G200" "$G200"
run diff "$G5" "$G5" --format json
run diff "$S" tests/fixtures/bad/malformed.toml
run diff "$S"

# --- render ---------------------------------------------------------------------------------

section "render: DOT and Mermaid"
for fmt in dot mermaid; do
	run render "$S" --format "$fmt"
	for c in site agency none; do
		run render "$S" --cluster "$c" --format "$fmt"
	done
	run render "$S" --fail gpki --format "$fmt"
	run render "$S" --fail gpki --full --format "$fmt"
	run render "$S" --fail nirs-daejeon --hours 24 --format "$fmt"
	run render "$S" --fail-link saeol-login-gpki --cluster agency --format "$fmt"
	run render "$S" --change-system share-center --format "$fmt"
	run render "$S" --change-system share-center --full --cluster none --format "$fmt"
	run render "$S" --change-link saeol-login-gpki --format "$fmt"
	run render "$S" --around gpki --depth 1 --cluster agency --format "$fmt"
	run render "$S" --around gpki --depth 2 --format "$fmt"
	run render "$S" --fail gpki --around gpki --depth 1 --format "$fmt"
	run render tests/fixtures/render/hostile.toml --format "$fmt"
	run render tests/fixtures/render/hostile.toml --fail auth --format "$fmt"
	run render "$SC" --fail gpki-router --format "$fmt"
	for f in "${TEACH[@]}"; do
		run render "$f" --format "$fmt"
	done
	run render "$G200" --format "$fmt"
	run render "$G5" --around svc-001 --depth 1 --format "$fmt"
done
run render "$S" --fail gpki -o @OUT@/gpki.dot
run render "$S" --change-system share-center -o @OUT@/change.mmd
run render "$G5" --fail sys-00100 --cluster none
section "render: SVG, HTML, PNG and refusals"
if command -v dot >/dev/null; then
	for fmt in svg html; do
		run render "$S" --format "$fmt"
		run render "$S" --fail gpki --format "$fmt"
		run render "$S" --fail nirs-daejeon --hours 24 --cluster agency --format "$fmt"
		run render "$S" --change-system share-center --format "$fmt"
		run render "$S" --around gpki --depth 1 --cluster none --format "$fmt"
		run render tests/fixtures/render/hostile.toml --fail auth --format "$fmt"
		run render inventories/teach-k-of-n.toml --fail bank-b --format "$fmt"
	done
	run render "$S" --fail gpki -o @OUT@/gpki.svg
	run render "$S" --fail gpki -o @OUT@/gpki.html
	run render "$S" --fail gpki --around gpki --depth 1 -o @OUT@/gpki-around.png
	run render "$S" --format png -o @OUT@/map.png
	run render "$G200" --format svg
fi
run render "$G5" --format svg
run render "$S" --format png
run render "$S" --around gpi
run render "$S" --cluster bogus
run render "$S" --format bogus

# --- convert --------------------------------------------------------------------------------

section "convert"
for f in "$S" "$SC" "$SJ" "${TEACH[@]}" tests/fixtures/cli/chain.toml tests/fixtures/cli/chain \
	tests/fixtures/cli/group.toml tests/fixtures/render/hostile.toml tests/fixtures/policy/csv-policy "$G200"; do
	run convert "$f" --to toml -o -
	run convert "$f" --to json -o -
	run convert "$f" --to csv -o @OUT@/csv
done
run convert "$S" --to toml -o @OUT@/k.toml
run convert "$S" --to json -o @OUT@/k.json
run convert "$S" --to csv -o @OUT@
run convert "$G5" --to json -o @OUT@/g.json
run convert "$G1" --to toml -o @OUT@/g.toml
run convert tests/fixtures/cli/lossy.toml --to csv -o @OUT@/csv
run convert tests/fixtures/cli/lossy.toml --to toml -o -
run convert tests/fixtures/bad/five_errors.toml --to json -o -
run convert "$S" --to yaml -o -
run convert "$S" --to json

# --- generate -------------------------------------------------------------------------------

section "generate"
run generate --nodes 300 --links 2000 --seed 3 --to toml -o -
run generate --nodes 300 --links 2000 --seed 3 --to json -o -
run generate --nodes 300 --links 2000 --seed 3 --to csv -o @OUT@/csv
run generate --nodes 30 --links 50 --to toml -o @OUT@/small.toml
run generate --nodes 2000 --links 15000 --seed 42 -o @OUT@/csv
run generate --nodes 0 --to json -o -
run generate --nodes 300

# --- rank -----------------------------------------------------------------------------------

section "rank"
for fmt in table json csv; do
	run rank "$S" --format "$fmt"
	run rank "$S" --top 10 --format "$fmt"
	run rank "$S" --hours 24 --format "$fmt"
	run rank "$S" --weights 1=1000,2=100 --format "$fmt"
	run rank "$G5" --top 20 -q --format "$fmt"
done
run rank "$S" --hours 24 --weights 1=1000,2=100 --top 5
run rank "$S" --weights ungraded=5,4=2,3=3
run rank "$S" --top 0
run rank "$S" -q --hours 0.5
run rank "$SC" --format csv
run rank "$SJ" --top 15 --format json
for f in "${TEACH[@]}" tests/fixtures/analyses/*.toml; do
	run rank "$f"
	run rank "$f" --hours 1 --format json
done
run rank "$G5" -q --format csv
run rank "$G5" -q --hours 24 --top 20
run rank "$G1" -q --format json
run rank "$G1" -q --hours 24 --format csv
run rank "$G200" --format json
run rank "$S" --weights 5=1
run rank "$S" --weights 1=x
run rank "$S" --weights ''
run rank "$S" --top -1
run rank "$S" --hours abc

# --- scenarios ------------------------------------------------------------------------------

section "scenarios"
for fmt in table json csv; do
	run scenarios "$S" --sites --format "$fmt"
	run scenarios "$S" --kind service --format "$fmt"
	run scenarios "$S" --agency MOIS --format "$fmt"
	run scenarios "$S" --sites --hours 24 --top 5 --format "$fmt"
	run scenarios "$G5" --sites -q --format "$fmt"
done
for k in system site network external; do
	run scenarios "$S" --kind "$k"
done
run scenarios "$S" --agency MOIS --agency 'National Tax Service' --format csv
run scenarios "$S" --kind service --top 5 --hours 4
run scenarios "$S" --sites --kind service --agency MOIS
run scenarios "$SC" --sites --format json
run scenarios inventories/teach-active-active.toml --sites
run scenarios tests/fixtures/analyses/small.toml --sites --format json
run scenarios "$G5" --kind service -q --format csv
run scenarios "$G5" --sites --hours 24 -q
run scenarios "$G1" --sites -q --format json
run scenarios "$G1" --agency agency-003 -q
run scenarios "$S"
run scenarios "$S" --kind bogus
run scenarios "$S" --agency nobody

# --- cuts -----------------------------------------------------------------------------------

section "cuts"
for t in "${GRADE1[@]}"; do
	run cuts "$S" --target "$t"
	run cuts "$S" --target "$t" --max 2 --format json
	run cuts "$S" --target "$t" --max 3 --format json
done
run cuts "$S" --target gov24 --max 1
run cuts "$S" --target saeol --max 4 -q
run cuts "$SC" --target gov24 --format json
for t in t t2; do
	run cuts tests/fixtures/analyses/cuts.toml --target "$t"
	run cuts tests/fixtures/analyses/cuts.toml --target "$t" --max 2 --format json
done
run cuts tests/fixtures/analyses/ring.toml --target x
run cuts tests/fixtures/analyses/cycle.toml --target x --format json
run cuts inventories/teach-k-of-n.toml --target payroll
run cuts "$G5" --target svc-001 --max 2 -q
run cuts "$G5" --target svc-001 --max 3 -q --format json
run cuts "$G1" --target svc-002 -q --format json
run cuts "$S" --target gov24 --max 0
run cuts "$S" --target gov2
run cuts "$S"

# --- recover --------------------------------------------------------------------------------

section "recover"
for fmt in table json; do
	run recover "$S" --fail gpki --format "$fmt"
	run recover "$S" --fail gpki --hours 56 --format "$fmt"
	run recover "$S" --fail nirs-daejeon --format "$fmt"
	run recover "$S" --fail gpki-router,one-pass --format "$fmt"
	for sel in site=nirs-daejeon agency=MOIS tag=auth kind=service; do
		run recover "$S" --fail-where "$sel" --format "$fmt"
	done
	run recover "$SC" --fail-where site=nirs-gwangju --hours 24 --format "$fmt"
	run recover "$G5" --fail svc-001 --format "$fmt"
done
for f in "${TEACH[@]}"; do
	mapfile -t ids < <(node_ids "$f")
	run recover "$f" --fail "${ids[0]}"
done
run recover "$G1" --fail-where kind=service --format json
run recover "$S" --fail gpi
run recover "$S" --fail-where site=nowhere
run recover "$S"

# --- colour ---------------------------------------------------------------------------------

section "colour"
run --color always impact "$S" --fail gpki
run --color always impact "$S" --fail gpki --hours 56
run impact "$S" --fail-where site=nirs-daejeon --color always
run --color always change "$S" --system share-center
run --color always check "$S"
run --color always check tests/fixtures/policy/sync-cycle-yes.toml
run --color always check tests/fixtures/bad/five_errors.toml
run --color always diff "$S" "$NEXT"
run --color always rank "$S" --top 10
run --color always scenarios "$S" --sites
run --color always cuts "$S" --target gov24
run --color always recover "$S" --fail gpki
run --color never impact "$S" --fail gpki
run --color auto impact "$S" --fail gpki
run --color bogus impact "$S" --fail gpki

# --- bad arguments (exit code 2), help, version --------------------------------------------

section "bad arguments, help"
run
run nosuch
run impct "$S" --fail gpki
run impact
run impact "$S" --fail gpki extra-argument
run impact "$S" --fail gpki --hours abc
run impact "$S" --fail gpki --hours -1
run impact "$S" --fail gpki --hours=-1
run impact "$S" --fail gpki --hours nan
run impact "$S" --fail gpki --hours inf
run impact "$S" --fail gpki --hours
run impact "$S" --fail gpki --format bogus
run impact "$S" --fial gpki
run change "$S" --system
run convert "$S"
run convert "$S" --to json
run cuts "$S" --target
run generate
run rank "$S" --weights
run rank "$S" --weights 1=100,2
run rank "$S" --weights 1=-5
run scenarios "$S" --top x --sites
run check
run check "$S" "$S"
run help
run --help
run -h
run --version
run -V
for c in check assess diff impact change generate render convert rank scenarios cuts recover help; do
	run "$c" --help
done
run help impact
run impact -h

# --- the 50,000-node inventory (FULL=1) -----------------------------------------------------

if [[ ${FULL:-0} == 1 ]]; then
	section 50k
	run check "$G50"
	run check "$G50" --format json
	run check "$G50" --format sarif
	run impact "$G50" --fail svc-001
	for id in svc-001 svc-002 svc-003 svc-010 dc-01 net-01 sys-00100; do
		run impact "$G50" --fail "$id" --format json
	done
	run impact "$G50" --fail svc-001 --hours 4 --format json
	run impact "$G50" --fail-where kind=service --hours 24 --format json
	run change "$G50" --system svc-001 --format json
	run change "$G50" --system svc-002
	run change "$G50" --link l000001 --format json
	run assess "$G50" --system svc-003 --window 4h
	run recover "$G50" --fail svc-001 --format json
	run rank "$G50" -q --top 20
	run rank "$G50" -q --format csv
	run rank "$G50" -q --weights 1=1000,2=100 --format json
	run scenarios "$G50" --sites -q --top 10
	run scenarios "$G50" --kind service -q --format csv
	run cuts "$G50" --target svc-001 --max 2 -q
	run cuts "$G50" --target svc-002 --max 3 -q --format json
	run render "$G50" --around svc-010 --depth 1 --cluster none
	run render "$G50" --format mermaid
	run convert "$G50" --to json -o @OUT@/g.json
	run convert "$G50" --to csv -o @OUT@/csv
	run diff "$G50" "$G50" --format json
fi

# --- summary --------------------------------------------------------------------------------

[[ ${#done_dirs[@]} -eq 0 ]] || rm -rf "${done_dirs[@]}"
echo "time: $((SECONDS - start)) s; outputs of differing runs: $W/old/NNNN and $W/new/NNNN" >&2
echo "$runs runs, $identical identical, $different different"
[[ $different -eq 0 ]]
