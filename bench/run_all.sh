#!/usr/bin/env bash
# Runs every benchmark in sequence (about 20 minutes on 2 cores); results in bench/results/.
set -euo pipefail
cd "$(dirname "$0")"
python shower_throughput.py
python reconstruction_throughput.py
python snakemake_overhead.py
python peak_memory.py
python core_scaling.py
