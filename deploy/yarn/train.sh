#!/usr/bin/env bash
# train on YARN: parameter averaging over one task per executor (one GPU each with PMF_GPU=1).
# Resumes from the newest committed checkpoint of $PMF_OUTPUT/$PMF_RUN_NAME (--resume auto), so a
# re-submission, or YARN's second application attempt, continues where the run stopped.
#   PMF_RUN_NAME=b16-256 PMF_TRAIN_DATA=s3a://bucket/pmf/imagenet256 PMF_OUTPUT=s3a://bucket/pmf/runs \
#   PMF_LPIPS_WEIGHTS=s3a://bucket/pmf/lpips_vgg16.safetensors \
#   PMF_CONVNEXT_WEIGHTS=s3a://bucket/pmf/convnextv2_base.safetensors deploy/yarn/train.sh [-Dpmf.key=value ...]
# The ImageNet presets train with the paper's perceptual loss, whose network weights are converted once
# with core/src/main/python/convert_perceptual_weights.py lpips / convnext (README, "Deployment"); the
# driver checks both files exist before any executor starts.
# Sizing (README, "Sizing executors"): tasks = executors, global batch 1024 split over them.
set -euo pipefail
source "$(dirname "$0")/common.sh"
pmf_require PMF_RUN_NAME
pmf_require PMF_TRAIN_DATA
pmf_require PMF_LPIPS_WEIGHTS "the LPIPS-VGG16 weights of the perceptual loss (convert_perceptual_weights.py lpips)"
pmf_require PMF_CONVNEXT_WEIGHTS "the ConvNeXt-V2 weights of the perceptual loss (convert_perceptual_weights.py convnext)"

GPU="${PMF_GPU:-1}"
GLOBAL_BATCH="${PMF_GLOBAL_BATCH:-1024}"
if [ "$GPU" = 1 ]; then
  EXECUTORS="${PMF_EXECUTORS:-16}"
  flavour=cuda
  confs="$PMF_PRESET.conf,yarn.conf,gpu.conf"
  files="$PMF_CONF_DIR/$PMF_PRESET.conf,$PMF_CONF_DIR/yarn.conf,$PMF_CONF_DIR/gpu.conf,$(dirname "$0")/gpu-discovery.sh"
  resources=(
    # one GPU per executor and per task: one training task per GPU
    --conf spark.executor.resource.gpu.amount=1
    --conf spark.task.resource.gpu.amount=1
    --conf spark.executor.resource.gpu.discoveryScript=./gpu-discovery.sh
    --executor-cores 8
    --conf spark.task.cpus=8
    # B/16: weights, gradients and optimizer state about 2 GB; activations on the GPU
    --executor-memory 24g
    --conf spark.executor.memoryOverhead=16g
  )
else
  EXECUTORS="${PMF_EXECUTORS:-32}"
  flavour=cpu
  confs="$PMF_PRESET.conf,yarn.conf"
  files="$PMF_CONF_DIR/$PMF_PRESET.conf,$PMF_CONF_DIR/yarn.conf"
  resources=(
    # one task per executor; its 16 cores are 16 batch workers (pmf.train.threads-per-task), each with
    # its own activations and gradient copy (B/16: about 0.35 GB each) on 2 of the task's 32 examples
    --executor-cores 16
    --conf spark.task.cpus=16
    --executor-memory 48g
    --conf spark.executor.memoryOverhead=32g
  )
fi
if [ $((GLOBAL_BATCH % EXECUTORS)) -ne 0 ]; then
  echo "train.sh: PMF_GLOBAL_BATCH $GLOBAL_BATCH is not a multiple of $EXECUTORS executors" >&2
  exit 2
fi

args=(
  "${PMF_YARN_OPTIONS[@]}"
  --deploy-mode cluster
  --name "pmf train $PMF_RUN_NAME"
  --class org.pmf.spark.TrainCommand
  --num-executors "$EXECUTORS"
  "${resources[@]}"
  # the driver averages and checkpoints: weights, optimizer state and three EMAs (B/16: about 3.5 GB)
  --driver-memory 24g
  --conf spark.driver.memoryOverhead=8g
  --conf spark.driver.maxResultSize=16g
  # a lost executor fails its round; the job retries, and YARN restarts a dead driver, which resumes
  --conf spark.task.maxFailures=8
  --conf spark.yarn.maxAppAttempts=3
  --conf spark.yarn.am.attemptFailuresValidityInterval=1h
  --conf spark.dynamicAllocation.enabled=false
  --files "$files"
  "$(pmf_jar spark-job "$flavour")"
  --conf-file "$confs"
  --resume auto
  "-Dpmf.run.name=$PMF_RUN_NAME"
  "-Dpmf.train.data=$PMF_TRAIN_DATA"
  "-Dpmf.perceptual.lpips.weights-file=$PMF_LPIPS_WEIGHTS"
  "-Dpmf.perceptual.convnext.weights-file=$PMF_CONVNEXT_WEIGHTS"
  "-Dpmf.train.tasks=$EXECUTORS"
  "-Dpmf.train.batch-size=$((GLOBAL_BATCH / EXECUTORS))"
)
if [ -n "${PMF_OUTPUT:-}" ]; then
  args+=("-Dpmf.run.output=$PMF_OUTPUT")
fi
exec "$SPARK_SUBMIT" "${args[@]}" "$@"
