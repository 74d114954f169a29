package org.pmf.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import scala.collection.JavaConverters;
import scala.tools.nsc.Global;
import scala.tools.nsc.Settings;
import scala.tools.nsc.reporters.StoreReporter;

/**
 * The Scala 2.12 compiler (scala-compiler from Maven Central, the version Spark 3.5 is built with),
 * run in this JVM on one source file against a class path. Errors come back as "line: message".
 */
final class ScalaCompiler {

    private ScalaCompiler() {
    }

    static List<String> errors(Path source, String classPath, Path outputDir) {
        Settings settings = new Settings();
        settings.classpath().value_$eq(classPath);
        settings.outdir().value_$eq(outputDir.toString());
        settings.nowarn().value_$eq(true);
        StoreReporter reporter = new StoreReporter();
        Global global = new Global(settings, reporter);
        Global.Run run = global.new Run();
        run.compile(JavaConverters.asScalaBuffer(List.of(source.toString())).toList());
        List<String> errors = new ArrayList<>();
        for (StoreReporter.Info info : JavaConverters.asJavaCollection(reporter.infos())) {
            if (info.severity().toString().equals("ERROR")) {
                String line = info.pos().isDefined() ? String.valueOf(info.pos().line()) : "?";
                errors.add(line + ": " + info.msg());
            }
        }
        return errors;
    }
}
