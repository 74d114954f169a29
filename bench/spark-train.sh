#!/usr/bin/env bash
# Spark parameter-averaging throughput for the `small` preset (32x32, patch 4) on this machine:
# images/s with 1 task and with 2 tasks, and the share of each round's wall time spent outside the
# tasks' local steps (broadcast, scheduling, serialising and averaging: sync_s), and waiting for data
# (io_s), as K (local steps per round) grows. One JVM per setting; the first round (JIT and
# allocation warm-up) is left out of the averages. Results are recorded in bench/spark-train.md.
# Usage: bench/spark-train.sh [steps=16] [batch per task=4]
# Needs the demo's shards (work/demo/shards: run deploy/local/demo.sh once, or PMF_DEMO_STEPS=4).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-16}
BATCH=${2:-4}
SHARDS=work/demo/shards
[ -f "$SHARDS/manifest.json" ] || { echo "no shards at $SHARDS: run deploy/local/demo.sh first" >&2; exit 1; }
mvn -q -B -o -DskipTests package dependency:build-classpath -Dmdep.includeScope=compile \
  -Dmdep.outputFile=target/classpath.txt -pl spark-job -am
CP="spark-job/target/classes:$(cat spark-job/target/classpath.txt)"
. deploy/local/java-options.sh
OUT=$(mktemp -d)
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); small preset, batch $BATCH per task, $STEPS steps"
printf '%-6s %-8s %-3s %9s %9s %9s %9s %9s %8s %8s\n' tasks threads K img/s round_s compute_s io_s sync_s sync% io%
run() { # tasks threads-per-task K
  local log="$OUT/t$1-th$2-k$3.log"
  java "${JOPTS[@]}" -Dspark.master="local[$1]" -cp "$CP" org.pmf.spark.TrainCommand \
    -Dpmf.run.name="bench-t$1-th$2-k$3" -Dpmf.run.output="$OUT/runs" -Dpmf.model.preset=small \
    -Dpmf.objective.noise-scale=1.0 -Dpmf.train.data="$SHARDS" -Dpmf.train.batch-size="$BATCH" \
    -Dpmf.train.tasks="$1" -Dpmf.train.threads-per-task="$2" -Dpmf.train.local-steps="$3" \
    -Dpmf.train.steps="$STEPS" -Dpmf.checkpoint.every-steps=0 -Dpmf.preview.enabled=false > "$log" 2>&1 \
    || { echo "run failed, log: $log" >&2; tail -20 "$log" >&2; exit 1; }
  grep -o 'step [0-9]*/[0-9]* .*' "$log" | awk -v tasks="$1" -v th="$2" -v k="$3" -v b="$BATCH" '
    { n++; if (n <= 1) next;
      for (i = 1; i <= NF; i++) { if ($i == "round_s") r += $(i+1); if ($i == "compute_s") c += $(i+1);
                                   if ($i == "io_s") o += $(i+1); if ($i == "sync_s") s += $(i+1); }
      m++ }
    END { if (m == 0) { print "too few rounds" ; exit 1 }
          printf "%-6d %-8d %-3d %9.2f %9.3f %9.3f %9.3f %9.3f %7.1f%% %7.1f%%\n", tasks, th, k,
            tasks * b * k * m / r, r / m, c / m, o / m, s / m, 100 * s / r, 100 * o / r }'
}
run 1 1 4
run 1 2 4
for k in 1 4 8; do run 2 1 "$k"; done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$OUT"
