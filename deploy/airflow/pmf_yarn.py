"""pMF on YARN: data-prep -> train -> evaluate, one SparkSubmitOperator each.

Every task is safe to retry: data-prep keeps the complete shards of an earlier attempt
(pmf.data-prep.existing-output = resume), train resumes from the run's newest committed
checkpoint (--resume auto), and evaluate overwrites its figures. The run is named by the DAG param
run_name (default: the preset name); trigger with {"run_name": "..."} to start another run. The
ImageNet presets train with the paper's perceptual loss: the params lpips_weights and
convnext_weights name its converted network weights.

Needs apache-airflow-providers-apache-spark, a Spark connection "spark_yarn" (host yarn, extra
{"deploy-mode": "cluster"}), spark-submit on the workers' PATH, and the application jars under
PMF_HOME (README, "Airflow"). S3 credentials come from the cluster's roles, never from here.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

PMF_HOME = "/opt/pmf"
VERSION = "0.1.0-SNAPSHOT"
DATA_PREP_JAR = f"{PMF_HOME}/jars/pmf-data-prep-{VERSION}-cpu.jar"
SPARK_JOB_CPU_JAR = f"{PMF_HOME}/jars/pmf-spark-job-{VERSION}-cpu.jar"
SPARK_JOB_CUDA_JAR = f"{PMF_HOME}/jars/pmf-spark-job-{VERSION}-cuda.jar"
CONF_DIR = f"{PMF_HOME}/conf"
JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64"

# Java 17 on the cluster nodes, whatever their default Java is; the vector module turns on the
# network's vector kernels on CPUs (core org.pmf.nn.VectorSupport), as deploy/yarn/common.sh does.
JAVA_OPTIONS = "--add-modules=jdk.incubator.vector"
YARN_CONF = {
    "spark.yarn.appMasterEnv.JAVA_HOME": JAVA_HOME,
    "spark.executorEnv.JAVA_HOME": JAVA_HOME,
    "spark.driver.extraJavaOptions": JAVA_OPTIONS,
    "spark.executor.extraJavaOptions": JAVA_OPTIONS,
    "spark.task.maxFailures": "8",
}

with DAG(
    dag_id="pmf_yarn",
    description="pixel MeanFlow on YARN: data-prep -> train -> evaluate",
    start_date=datetime(2025, 1, 1),
    schedule=None,
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5)},
    params={
        "preset": Param("imagenet-256-b16", type="string", description="conf/ preset without .conf"),
        "run_name": Param("imagenet-256-b16", type="string", description="checkpoints go to <output>/<run_name>/"),
        "imagenet": Param("s3a://my-bucket/imagenet/train", type="string", description="the ImageNet train folder"),
        "shards": Param("s3a://my-bucket/pmf/imagenet256", type="string", description="data-prep output, train input"),
        "output": Param("s3a://my-bucket/pmf/runs", type="string", description="runs root"),
        # the perceptual loss of the ImageNet presets (README, "Deployment"); train checks both exist
        "lpips_weights": Param("s3a://my-bucket/pmf/lpips_vgg16.safetensors", type="string",
                               description="LPIPS-VGG16 weights for train's perceptual loss (convert_perceptual_weights.py lpips)"),
        "convnext_weights": Param("s3a://my-bucket/pmf/convnextv2_base.safetensors", type="string",
                                  description="ConvNeXt-V2-Base weights for train's perceptual loss (convert_perceptual_weights.py convnext)"),
        "inception_weights": Param("s3a://my-bucket/pmf/fid_inception.safetensors", type="string",
                                   description="FID Inception-v3 weights (convert_perceptual_weights.py inception)"),
        "reference_stats": Param("s3a://my-bucket/pmf/VIRTUAL_imagenet256_labeled.npz", type="string",
                                 description="ADM reference statistics for FID; empty for IS only"),
    },
) as dag:
    data_prep = SparkSubmitOperator(
        task_id="data_prep",
        conn_id="spark_yarn",
        name="pmf data-prep {{ params.run_name }}",
        application=DATA_PREP_JAR,
        java_class="org.pmf.dataprep.DataPrepMain",
        files=CONF_DIR + "/{{ params.preset }}.conf," + CONF_DIR + "/yarn.conf",
        num_executors=40,
        executor_cores=4,
        executor_memory="6g",
        driver_memory="4g",
        conf={**YARN_CONF, "spark.executor.memoryOverhead": "2g", "spark.hadoop.fs.s3a.fast.upload.buffer": "bytebuffer"},
        application_args=[
            "--conf-file", "{{ params.preset }}.conf,yarn.conf",
            "--input", "{{ params.imagenet }}",
            "--output", "{{ params.shards }}",
        ],
    )

    train = SparkSubmitOperator(
        task_id="train",
        conn_id="spark_yarn",
        name="pmf train {{ params.run_name }}",
        application=SPARK_JOB_CUDA_JAR,
        java_class="org.pmf.spark.TrainCommand",
        files=CONF_DIR + "/{{ params.preset }}.conf," + CONF_DIR + "/yarn.conf," + CONF_DIR + "/gpu.conf,"
        + PMF_HOME + "/bin/gpu-discovery.sh",
        num_executors=16,
        executor_cores=8,
        executor_memory="24g",
        driver_memory="24g",
        conf={
            **YARN_CONF,
            "spark.executor.resource.gpu.amount": "1",
            "spark.task.resource.gpu.amount": "1",
            "spark.executor.resource.gpu.discoveryScript": "./gpu-discovery.sh",
            "spark.task.cpus": "8",
            "spark.executor.memoryOverhead": "16g",
            "spark.driver.memoryOverhead": "8g",
            "spark.driver.maxResultSize": "16g",
            "spark.dynamicAllocation.enabled": "false",
        },
        application_args=[
            "--conf-file", "{{ params.preset }}.conf,yarn.conf,gpu.conf",
            "--resume", "auto",
            "-Dpmf.run.name={{ params.run_name }}",
            "-Dpmf.run.output={{ params.output }}",
            "-Dpmf.train.data={{ params.shards }}",
            "-Dpmf.perceptual.lpips.weights-file={{ params.lpips_weights }}",
            "-Dpmf.perceptual.convnext.weights-file={{ params.convnext_weights }}",
            "-Dpmf.train.tasks=16",
        ],
        # a training run takes days: retry its failures, not its length
        execution_timeout=None,
    )

    # FID and Inception Score, the paper's protocol: 50 one-step samples per class generated and
    # scored across the executors (B/16's sampling settings, pmf-method.md 4.2); the figures go to
    # <run>/eval/. Grids of samples are already in <run>/previews/ from every checkpoint.
    evaluate = SparkSubmitOperator(
        task_id="evaluate",
        conn_id="spark_yarn",
        name="pmf evaluate {{ params.run_name }}",
        application=SPARK_JOB_CPU_JAR,
        java_class="org.pmf.spark.EvaluateCommand",
        files=CONF_DIR + "/{{ params.preset }}.conf," + CONF_DIR + "/yarn.conf",
        num_executors=16,
        executor_cores=8,
        executor_memory="16g",
        driver_memory="8g",
        conf={**YARN_CONF, "spark.task.cpus": "8", "spark.executor.memoryOverhead": "16g"},
        application_args=[
            "--conf-file", "{{ params.preset }}.conf,yarn.conf",
            "-Dpmf.run.name={{ params.run_name }}",
            "-Dpmf.run.output={{ params.output }}",
            "-Dpmf.eval.inception.weights-file={{ params.inception_weights }}",
            "-Dpmf.eval.inception.reference-stats={{ params.reference_stats }}",
            "--metrics", "fid-is",
            "--ema", "2000",
            "--omega", "8.5",
            "--interval", "0.1,0.7",
            "--per-class", "50",
        ],
    )

    data_prep >> train >> evaluate
