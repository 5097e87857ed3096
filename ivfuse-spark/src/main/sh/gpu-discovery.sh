#!/bin/sh
# Spark's GPU discovery script for ivfuse-spark executors (spark.executor.resource.gpu.discoveryScript):
# prints the GPUs this executor may use as Spark's resource JSON, {"name":"gpu","addresses":["0","1"]},
# from nvidia-smi. When a cluster manager has set CUDA_VISIBLE_DEVICES, CUDA numbers the visible GPUs
# 0..n-1 inside the process, and these ordinals are what the engine's device= takes. Untested here:
# Spark does not schedule GPUs in local mode, and the project's machines have none.
set -eu
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
    ids=$(seq 0 $(($(printf '%s\n' "$CUDA_VISIBLE_DEVICES" | tr ',' '\n' | wc -l) - 1)))
else
    ids=$(nvidia-smi --query-gpu=index --format=csv,noheader)
fi
printf '{"name":"gpu","addresses":[%s]}\n' "$(printf '%s\n' $ids | sed 's/.*/"&"/' | paste -sd, -)"
