#!/usr/bin/env bash
# GPU discovery for Spark (spark.executor.resource.gpu.discoveryScript): prints the GPUs this
# executor may use as {"name": "gpu", "addresses": ["0", ...]}. YARN isolates GPUs per container,
# so nvidia-smi lists only the ones assigned to it.
set -euo pipefail
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e 's/^ *//' -e 's/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
