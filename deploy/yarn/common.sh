# Settings shared by the YARN submit scripts (sourced, not run). Everything can be overridden from
# the environment; nothing here holds credentials (README, "Credentials").
#
#   PMF_PRESET     conf/ preset without .conf            (default imagenet-256-b16)
#   PMF_RUN_NAME   the run: checkpoints go to $PMF_OUTPUT/$PMF_RUN_NAME/
#   PMF_OUTPUT     runs root, e.g. s3a://bucket/pmf/runs (default: yarn.conf's hdfs:///pmf/runs)
#   PMF_TRAIN_DATA shard folder written by data-prep, read by train
#   PMF_LPIPS_WEIGHTS     converted LPIPS-VGG16 weights for train's perceptual loss, e.g.
#                         s3a://bucket/pmf/lpips_vgg16.safetensors (convert_perceptual_weights.py lpips)
#   PMF_CONVNEXT_WEIGHTS  converted ConvNeXt-V2-Base weights, likewise (convert_perceptual_weights.py convnext)
#   PMF_INCEPTION_WEIGHTS converted FID Inception-v3 weights, read by evaluate (convert_perceptual_weights.py inception)
#   PMF_REFERENCE_STATS   FID reference statistics (.npz with mu, sigma), read by evaluate; unset: IS only
#   PMF_GPU        1: CUDA jars and GPU executors, 0: CPU  (train only; default 1)
#   PMF_JAR_DIR    folder holding the application jars   (default: this checkout's build output)
#   PMF_JAVA_HOME  Java 17 on the cluster nodes          (default /usr/lib/jvm/java-17-openjdk-amd64)
#   PMF_QUEUE      YARN queue                            (default default)
#   SPARK_SUBMIT   spark-submit to use                   (default: spark-submit on the PATH)

PMF_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PMF_VERSION="${PMF_VERSION:-0.1.0-SNAPSHOT}"
PMF_PRESET="${PMF_PRESET:-imagenet-256-b16}"
PMF_CONF_DIR="${PMF_CONF_DIR:-$PMF_REPO/conf}"
PMF_JAVA_HOME="${PMF_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
PMF_QUEUE="${PMF_QUEUE:-default}"
SPARK_SUBMIT="${SPARK_SUBMIT:-spark-submit}"

# The shaded application jar of a module (data-prep or spark-job) and flavour (cpu or cuda).
pmf_jar() {
  local module="$1" flavour="$2"
  local dir="${PMF_JAR_DIR:-$PMF_REPO/$module/target}"
  echo "$dir/pmf-$module-$PMF_VERSION-$flavour.jar"
}

# Spark 3.5 adds these --add-opens itself through its launcher; they are repeated for clusters whose
# spark-submit predates that, and so that both JVMs run with the same flags. The vector module turns on
# the network's vector kernels on CPUs (core org.pmf.nn.VectorSupport; unused by the CUDA backend).
PMF_JAVA_OPTIONS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"

# spark-submit options every YARN job shares: Java 17 for the application master and executors
# (YARN nodes often default to an older Java) with the module options, the queue.
PMF_YARN_OPTIONS=(
  --master yarn
  --queue "$PMF_QUEUE"
  --conf "spark.yarn.appMasterEnv.JAVA_HOME=$PMF_JAVA_HOME"
  --conf "spark.executorEnv.JAVA_HOME=$PMF_JAVA_HOME"
  --conf "spark.driver.extraJavaOptions=$PMF_JAVA_OPTIONS"
  --conf "spark.executor.extraJavaOptions=$PMF_JAVA_OPTIONS"
)

# A required environment variable, or a message naming it (and saying what it is, when given).
pmf_require() {
  local name="$1" what="${2:-}"
  if [ -z "${!name:-}" ]; then
    echo "$(basename "$0"): set $name${what:+ to $what} (see the comments at the top of deploy/yarn/common.sh)" >&2
    exit 2
  fi
}
