#!/usr/bin/env bash
# Runs every benchmark in sequence (about 45 minutes on 2 cores without MadGraph, two hours and a
# half with it: its Drell-Yan gridpacks); results in bench/results/.
set -euo pipefail
cd "$(dirname "$0")"
python shower_throughput.py
python reconstruction_throughput.py
python snakemake_overhead.py
python peak_memory.py
python core_scaling.py
if [ -n "${MG5_AMC:-}" ] || command -v mg5_aMC > /dev/null; then
  python madgraph_gridpack.py
  python generator_statistics.py
  python cache_reuse.py --generator madgraph
  python background_completeness.py --generator madgraph
else
  echo "madgraph_gridpack, generator_statistics, MadGraph cache_reuse, completeness: skipped, no MadGraph"
fi
python inference_cost.py
python background_statistics.py
python background_completeness.py
python variation_cost.py
python detector_cost.py
python cache_reuse.py
# detector_levels.py needs a run made at both levels: python detector_levels.py RUN_DIR
# gridpack_bias.py needs a finished MadGraph run: python gridpack_bias.py RUN_DIR SAMPLE
# job_resources.py reads finished runs: python job_resources.py RUN_DIR ...
