#!/usr/bin/env bash
# inspect a run folder: committed checkpoints, sizes, provenance, config and the metric history.
#   PMF_RUN=s3a://bucket/pmf/runs/b16-256 deploy/yarn/inspect.sh [--step N] [--stats 2000]
# Client mode: it only reads files.
set -euo pipefail
source "$(dirname "$0")/common.sh"
pmf_require PMF_RUN

args=(
  "${PMF_YARN_OPTIONS[@]}"
  --deploy-mode client
  --name "pmf inspect"
  --class org.pmf.spark.inspect.InspectCommand
  --driver-memory 8g
  "$(pmf_jar spark-job cpu)"
  --run "$PMF_RUN"
)
exec "$SPARK_SUBMIT" "${args[@]}" "$@"
