#!/usr/bin/env bash
# Shows that a change keeps `analyze --json` byte for byte: builds REV (in a
# temporary git worktree) and the working tree in release, runs both on the
# bundled corpus and on every CORPUS_DIR given, and compares the bytes.
#
#   scripts/same-json.sh REV [CORPUS_DIR ...]
#   scripts/same-json.sh HEAD~3 /tmp/bench100     # e.g. the 100 MB bench corpus
#
# Make a bench corpus with `cargo run --release --example make_corpus -- DIR`.
# Exits 0 when every output is identical, 1 when one differs.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 REV [CORPUS_DIR ...]" >&2
  exit 2
fi
rev=$1
shift
top=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$top" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$top" worktree add --detach "$work/base" "$rev" >/dev/null
echo "building $rev ..." >&2
(cd "$work/base" && CARGO_TARGET_DIR="$work/target" cargo build --release --quiet)
echo "building the working tree ..." >&2
(cd "$top" && cargo build --release --quiet)
base_bin="$work/target/release/sco-reader"
new_bin="$top/target/release/sco-reader"
status=0
for corpus in bundled "$@"; do
  args=(analyze --json)
  [ "$corpus" = bundled ] || args=(analyze "$corpus" --json)
  SCO_READER_DATA_DIR="$work/data-base" "$base_bin" "${args[@]}" >"$work/base.json" 2>/dev/null || true
  SCO_READER_DATA_DIR="$work/data-new" "$new_bin" "${args[@]}" >"$work/new.json" 2>/dev/null || true
  if cmp -s "$work/base.json" "$work/new.json"; then
    echo "same:    $corpus ($(wc -c <"$work/new.json") bytes)"
  else
    echo "DIFFERS: $corpus ($(cmp "$work/base.json" "$work/new.json" | head -1))"
    status=1
  fi
done
exit $status
