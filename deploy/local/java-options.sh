# JVM options of local Spark drivers, sourced by deploy/local/demo.sh and bench/spark-train.sh.
# Spark 3.5 on Java 17 needs these opens; executors get them from Spark itself. ND4J allocates
# off-heap; the javacpp limits make it collect garbage before the machine runs out of memory. The
# vector module turns on the network's vector kernels (core org.pmf.nn.VectorSupport).
JOPTS=(--add-modules=jdk.incubator.vector --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
       --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
       --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
       --add-exports=java.base/sun.nio.ch=ALL-UNNAMED -Xmx4g -Dspark.ui.enabled=false
       -Dorg.bytedeco.javacpp.maxbytes=6g -Dorg.bytedeco.javacpp.maxphysicalbytes=11g
       -Dlog4j2.configurationFile=deploy/local/log4j2.properties)
export SPARK_LOCAL_IP=127.0.0.1
