#!/usr/bin/env bash
# data-prep on YARN: ImageNet (class folders or ILSVRC2012_img_train.tar) to uint8 patch shards.
# Safe to re-run: complete shards of the same input and settings are kept (existing-output = resume).
#   PMF_IMAGENET_TRAIN=s3a://bucket/imagenet/train PMF_TRAIN_DATA=s3a://bucket/pmf/imagenet256 \
#     deploy/yarn/data-prep.sh [more data-prep options, e.g. --input-layout train-archive]
# CPU only; one task per shard (1024 images at 256 px), so executors x cores tasks run at once.
set -euo pipefail
source "$(dirname "$0")/common.sh"
pmf_require PMF_IMAGENET_TRAIN
pmf_require PMF_TRAIN_DATA

args=(
  "${PMF_YARN_OPTIONS[@]}"
  --deploy-mode cluster
  --name "pmf data-prep $PMF_PRESET"
  --class org.pmf.dataprep.DataPrepMain
  --num-executors "${PMF_EXECUTORS:-40}"
  --executor-cores 4
  --executor-memory 6g
  --conf spark.executor.memoryOverhead=2g
  --driver-memory 4g
  # uploads stream from memory, not local disk (reference.conf, pmf.data-prep.output)
  --conf spark.hadoop.fs.s3a.fast.upload.buffer=bytebuffer
  --conf spark.task.maxFailures=8
  --files "$PMF_CONF_DIR/$PMF_PRESET.conf,$PMF_CONF_DIR/yarn.conf"
  "$(pmf_jar data-prep cpu)"
  --conf-file "$PMF_PRESET.conf,yarn.conf"
  --input "$PMF_IMAGENET_TRAIN"
  --output "$PMF_TRAIN_DATA"
)
exec "$SPARK_SUBMIT" "${args[@]}" "$@"
