package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pmf.io.Json;

/**
 * notebooks/: every note is a Zeppelin 0.10/0.11 note (.zpln JSON: note fields, paragraphs with
 * id, text, config and settings, no stored outputs), and its %spark paragraphs, in order as the
 * interpreter runs them, compile with Scala 2.12 against the built spark-job jar, Spark's jars and
 * Zeppelin's ZeppelinContext, with {@code spark}, {@code sc} and {@code z} bound as in Zeppelin.
 */
class ZeppelinNotesTest {

    private static final List<String> NOTE_FIELDS =
        List.of("paragraphs", "name", "id", "defaultInterpreterGroup", "version", "noteParams", "noteForms", "angularObjects", "config", "info");

    @TempDir
    Path tmp;

    @Test
    void theInspectAndCompareNotesExist() throws Exception {
        Set<String> names = new HashSet<>();
        for (Path note : notes()) {
            names.add(String.valueOf(read(note).get("name")));
        }
        assertTrue(names.containsAll(Set.of("Inspect a pMF run", "Compare checkpoints")), names.toString());
    }

    @Test
    void everyNoteFollowsTheZeppelinNoteFormatWithoutOutputs() throws Exception {
        for (Path note : notes()) {
            String where = note.getFileName().toString();
            Map<?, ?> n = read(note);
            for (String field : NOTE_FIELDS) {
                assertTrue(n.containsKey(field), where + ": note field " + field);
            }
            assertTrue(where.endsWith("_" + n.get("id") + ".zpln"), where + ": Zeppelin names note files <name>_<id>.zpln");
            assertTrue(String.valueOf(n.get("version")).matches("0\\.1[01]\\..*"), where + ": version " + n.get("version"));
            Set<String> ids = new HashSet<>();
            List<?> paragraphs = (List<?>) n.get("paragraphs");
            assertFalse(paragraphs.isEmpty(), where);
            for (Object o : paragraphs) {
                Map<?, ?> p = (Map<?, ?>) o;
                String pid = String.valueOf(p.get("id"));
                assertTrue(p.get("id") instanceof String && ids.add(pid), where + ": paragraph ids are unique strings: " + pid);
                assertTrue(p.get("text") instanceof String t && t.startsWith("%"), where + " " + pid + ": text names its interpreter");
                Map<?, ?> config = (Map<?, ?>) p.get("config");
                assertTrue(config != null && config.get("editorSetting") instanceof Map && config.get("editorMode") instanceof String
                    && config.get("colWidth") instanceof Number, where + " " + pid + ": config " + config);
                Map<?, ?> settings = (Map<?, ?>) p.get("settings");
                assertTrue(settings != null && settings.get("params") instanceof Map && settings.get("forms") instanceof Map,
                    where + " " + pid + ": settings");
                assertEquals("READY", p.get("status"), where + " " + pid);
                for (String output : List.of("results", "dateStarted", "dateFinished", "errorMessage")) {
                    assertFalse(p.containsKey(output), where + " " + pid + ": stored output " + output);
                }
            }
        }
    }

    @Test
    void everySparkParagraphCompilesAgainstTheSparkJobJar() throws Exception {
        String classPath = String.join(File.pathSeparator, Files.readString(Path.of(Repo.property("pmf.spark.runtime.classpath"))).trim(),
            Repo.applicationJar("spark-job").toString(), zeppelinInterpreterJar());
        for (Path note : notes()) {
            Map<?, ?> n = read(note);
            StringBuilder source = new StringBuilder("""
                // The %spark paragraphs of a Zeppelin note, as the Spark interpreter runs them: one after
                // another, with spark, sc and z bound.
                object Note {
                  val spark: org.apache.spark.sql.SparkSession = null
                  val sc: org.apache.spark.SparkContext = null
                  val z: org.apache.zeppelin.interpreter.ZeppelinContext = null
                """);
            List<String> origins = new ArrayList<>();
            int lines = (int) source.chars().filter(c -> c == '\n').count();
            for (Object o : (List<?>) n.get("paragraphs")) {
                Map<?, ?> p = (Map<?, ?>) o;
                String text = String.valueOf(p.get("text"));
                String first = text.lines().findFirst().orElse("").trim();
                if (!first.equals("%spark") && !first.equals("%spark.spark")) {
                    continue;
                }
                String body = text.substring(text.indexOf('\n') + 1);
                for (int i = 0; i < body.lines().count(); i++) {
                    origins.add(p.get("id") + " line " + (i + 2));
                }
                source.append(body).append(body.endsWith("\n") ? "" : "\n");
            }
            assertFalse(origins.isEmpty(), note + " has no %spark paragraph");
            source.append("}\n");
            Path file = tmp.resolve(note.getFileName().toString().replaceAll("[^A-Za-z0-9]", "_") + ".scala");
            Files.writeString(file, source);
            Path out = Files.createDirectories(tmp.resolve("classes-" + file.getFileName()));
            List<String> errors = new ArrayList<>();
            for (String e : ScalaCompiler.errors(file, classPath, out)) {
                int line = e.contains(":") && !e.startsWith("?") ? Integer.parseInt(e.substring(0, e.indexOf(':'))) : -1;
                String origin = line > lines && line - lines - 1 < origins.size() ? origins.get(line - lines - 1) : "line " + line;
                errors.add(origin + e.substring(e.indexOf(':')));
            }
            if (!errors.isEmpty()) {
                fail(note.getFileName() + ": %spark paragraphs do not compile:\n" + String.join("\n", errors));
            }
        }
    }

    private static String zeppelinInterpreterJar() {
        for (String e : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(File.pathSeparator)) {
            if (Path.of(e).getFileName().toString().startsWith("zeppelin-interpreter-")) {
                return e;
            }
        }
        return fail("zeppelin-interpreter is not on the test class path (deploy/tests/pom.xml)");
    }

    private static List<Path> notes() throws Exception {
        List<Path> notes = Repo.files("notebooks", ".zpln");
        assertTrue(notes.size() >= 2, "notes: " + notes);
        return notes;
    }

    private static Map<?, ?> read(Path note) throws Exception {
        try {
            return (Map<?, ?>) Json.parse(Files.readString(note));
        } catch (Json.SyntaxError e) {
            return fail(note + " is not JSON: " + e.getMessage());
        }
    }
}
