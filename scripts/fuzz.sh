#!/usr/bin/env bash
# Runs every fuzz target of the inspect crate for SECONDS seconds each
# (default 120). Needs a nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Crashes are written to fuzz/artifacts/<target>/; each one should become a
# regression test in crates/inspect/tests/decoders.rs named for the case.
# Set FUZZ_TARGETS to a space-separated list to run only some targets.
set -euo pipefail

seconds="${1:-120}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"

if ! cargo +nightly fuzz --help >/dev/null 2>&1; then
    echo "fuzz.sh: needs 'cargo +nightly fuzz' (rustup toolchain install nightly; cargo install cargo-fuzz)" >&2
    exit 2
fi

targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
failed=()
for target in $targets; do
    echo "== $target: ${seconds}s"
    # The fuzz limits keep every decoder's memory far below 2 GiB, so
    # passing -rss_limit_mb is a finding, and so is a 10 s input.
    if ! cargo +nightly fuzz run "$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10; then
        failed+=("$target")
    fi
done

if ((${#failed[@]} > 0)); then
    echo "fuzz.sh: crashes in: ${failed[*]} (see fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz.sh: no crashes in $(wc -w <<<"$targets") targets"
