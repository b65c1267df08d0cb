#!/usr/bin/env bash
# Builds Zola from its source for bench/run.sh (no Zola package on these
# machines): a checkout of github.com/getzola/zola in ZOLA_SRC (default
# /work/zola-src; `git clone https://github.com/getzola/zola`, or `git archive`
# of a mirror: `git archive HEAD -- . ':(exclude)docs' ':(exclude)test_site'
# ':(exclude)test_site_i18n' | tar -x -C /work/zola-src` where the mirror
# lacks the docs' large files), built in release mode into CARGO_TARGET_DIR (default
# /work/target-zola) at the lowest priority, as it is big (about 500 crates).
# bench/run.sh then finds target-zola/release/zola, or takes ZOLA=path.
set -euo pipefail
ZOLA_SRC=${ZOLA_SRC:-/work/zola-src}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-zola}
[ -f "$ZOLA_SRC/Cargo.toml" ] || { echo "zola.sh: no Zola source in $ZOLA_SRC" >&2; exit 1; }
cd "$ZOLA_SRC"
nice -n 19 cargo build --release --locked
"$CARGO_TARGET_DIR/release/zola" --version
