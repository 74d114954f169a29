"""pMF on Kubernetes: data-prep -> train -> evaluate, one SparkKubernetesOperator each.

Each task submits a SparkApplication of deploy/k8s/ (the same manifests one can `kubectl apply`),
made specific to the DAG run: -Dpmf.run.name carries the run_name param, and train's driver
variables PMF_LPIPS_WEIGHTS and PMF_CONVNEXT_WEIGHTS the lpips_weights and convnext_weights params
(the converted weights of the presets' perceptual loss). Every task is safe to retry: the operator
names each submission anew, data-prep keeps complete shards, train resumes from the newest
committed checkpoint (--resume auto), evaluate overwrites its figures.

Needs apache-airflow-providers-cncf-kubernetes, spark-operator in the cluster, the ConfigMap
pmf-conf and the service account of deploy/k8s/rbac.yaml (README, "Kubernetes"), and the manifests
next to this file under k8s/ (or PMF_K8S_DIR).
"""
import os
from datetime import datetime, timedelta

import yaml
from airflow import DAG
from airflow.models.param import Param
from airflow.providers.cncf.kubernetes.operators.spark_kubernetes import SparkKubernetesOperator

K8S_DIR = os.environ.get("PMF_K8S_DIR", os.path.join(os.path.dirname(__file__), "k8s"))
NAMESPACE = "pmf"


def spark_application(manifest, driver_env=None):
    """The SparkApplication of a manifest with the run name and the driver's variables in driver_env
    ({name: value}, replacing the manifest's value or added) templated: rendered per DAG run."""
    with open(os.path.join(K8S_DIR, manifest)) as f:
        app = yaml.safe_load(f)
    app["spec"]["arguments"] = [
        "-Dpmf.run.name={{ params.run_name }}" if a.startswith("-Dpmf.run.name=") else a
        for a in app["spec"]["arguments"]
    ]
    env = app["spec"]["driver"].setdefault("env", [])
    for name, value in (driver_env or {}).items():
        env[:] = [e for e in env if e["name"] != name] + [{"name": name, "value": value}]
    return app


with DAG(
    dag_id="pmf_k8s",
    description="pixel MeanFlow on Kubernetes: data-prep -> train -> evaluate",
    start_date=datetime(2025, 1, 1),
    schedule=None,
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=5)},
    params={
        "run_name": Param("imagenet-256-b16", type="string", description="checkpoints go to <output>/<run_name>/"),
        # the perceptual loss of the ImageNet presets (README, "Deployment"); train checks both exist
        "lpips_weights": Param("s3a://my-bucket/pmf/lpips_vgg16.safetensors", type="string",
                               description="LPIPS-VGG16 weights for train's perceptual loss (convert_perceptual_weights.py lpips)"),
        "convnext_weights": Param("s3a://my-bucket/pmf/convnextv2_base.safetensors", type="string",
                                  description="ConvNeXt-V2-Base weights for train's perceptual loss (convert_perceptual_weights.py convnext)"),
    },
) as dag:
    data_prep = SparkKubernetesOperator(
        task_id="data_prep",
        namespace=NAMESPACE,
        template_spec=spark_application("data-prep.yaml"),
        kubernetes_conn_id="kubernetes_default",
        delete_on_termination=True,
    )

    train = SparkKubernetesOperator(
        task_id="train",
        namespace=NAMESPACE,
        template_spec=spark_application("train.yaml", driver_env={
            "PMF_LPIPS_WEIGHTS": "{{ params.lpips_weights }}",
            "PMF_CONVNEXT_WEIGHTS": "{{ params.convnext_weights }}",
        }),
        kubernetes_conn_id="kubernetes_default",
        delete_on_termination=True,
        # an Airflow restart must not start a second trainer beside a running one
        reattach_on_restart=True,
    )

    evaluate = SparkKubernetesOperator(
        task_id="evaluate",
        namespace=NAMESPACE,
        template_spec=spark_application("evaluate.yaml"),
        kubernetes_conn_id="kubernetes_default",
        delete_on_termination=True,
    )

    data_prep >> train >> evaluate
