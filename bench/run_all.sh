#!/usr/bin/env bash
# Runs every benchmark in sequence (about 45 minutes on 2 cores with MadGraph); results in bench/results/.
set -euo pipefail
cd "$(dirname "$0")"
python shower_throughput.py
python reconstruction_throughput.py
python snakemake_overhead.py
python peak_memory.py
python core_scaling.py
if [ -n "${MG5_AMC:-}" ] || command -v mg5_aMC > /dev/null; then
  python madgraph_gridpack.py
else
  echo "madgraph_gridpack: skipped, no MadGraph (set MG5_AMC)"
fi
python inference_cost.py
python background_statistics.py
python background_completeness.py
python variation_cost.py
python detector_cost.py
# detector_levels.py needs a run made at both levels: python detector_levels.py RUN_DIR
# gridpack_bias.py needs a finished MadGraph run: python gridpack_bias.py RUN_DIR SAMPLE
