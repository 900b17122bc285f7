#!/usr/bin/env bash
# Rapport's lifetime-value models (`rapport clv fit`) against Python lifetimes 0.11.3, in one
# run on one machine: the CDNOW sample and a simulated 1,000,000-customer log. Prints a
# markdown table and exits non-zero when a parameter differs by more than 1e-3 relative or
# Rapport is less than 20x faster end to end. See docs/benchmarks.md.
#
#   bench/clv_vs_lifetimes.sh [--runs N] [--large-runs N]
#
# Needs network once (pip install into a virtualenv under target/clv-bench/), so it is a
# benchmark, not part of `cargo test`. CLV_BENCH_CUSTOMERS=N changes the size of the large log.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/target/clv-bench
venv=$work/venv
customers=${CLV_BENCH_CUSTOMERS:-1000000}
mkdir -p "$work"

if ! "$venv/bin/python" -c 'import lifetimes' 2>/dev/null; then
    echo "installing lifetimes into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/bench/lifetimes-requirements.txt"
fi

echo "cargo build --release -p rapport" >&2
(cd "$root" && cargo build --quiet --release -p rapport)
rapport=$root/target/release/rapport

# Written once; both tools read the same file.
log=$work/simulated-$customers.csv
if [ ! -s "$log" ]; then
    "$rapport" clv simulate --customers "$customers" --seed 1 --output "$log.part" >&2
    mv "$log.part" "$log"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(python3 --version), $("$venv/bin/python" -c 'import lifetimes, pandas, numpy, scipy; print(f"lifetimes {lifetimes.__version__}, pandas {pandas.__version__}, numpy {numpy.__version__}, scipy {scipy.__version__}")')" >&2
cd "$root"
exec "$venv/bin/python" bench/clv_vs_lifetimes.py --rapport "$rapport" --work "$work" \
    --cdnow data/cdnow_sample.csv --simulated "$log" "$@"
