package org.pmf.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * The Hadoop configuration of a driver that starts no SparkContext (generate, inspect): Hadoop's
 * defaults plus every {@code spark.hadoop.*} setting given to spark-submit ({@code --conf
 * spark.hadoop.fs.s3a.endpoint=...}) or as a system property, as a SparkContext would apply them.
 * Without this, s3a:// settings passed the Spark way would reach the training job but not these.
 */
public final class DriverHadoopConf {

    private DriverHadoopConf() {
    }

    public static Configuration fromSparkSettings() {
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
            hadoop.set(kv._1(), kv._2());
        }
        return hadoop;
    }
}
