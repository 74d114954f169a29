package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.optim.OptimizerConfig;

/**
 * conf/: every preset, alone and under every cluster overlay, loads through ConfigLoader (unknown
 * keys rejected) and builds every typed section; the ImageNet presets carry the paper's
 * hyperparameters (pmf-method.md section 4); no committed file holds S3 credentials.
 */
class ConfFilesTest {

    static final List<String> OVERLAYS = List.of("yarn.conf", "k8s.conf", "gpu.conf");
    private static final List<List<String>> OVERLAY_STACKS =
        List.of(List.of(), List.of("yarn.conf"), List.of("k8s.conf"), List.of("yarn.conf", "gpu.conf"), List.of("k8s.conf", "gpu.conf"));

    static List<Path> presets() throws Exception {
        return Repo.files("conf", ".conf").stream().filter(p -> !OVERLAYS.contains(p.getFileName().toString())).toList();
    }

    /**
     * Loads files as the commands do. The paths a preset leaves to the environment (images,
     * shards) get placeholders when unset, as a job's environment would provide them.
     */
    static Config load(List<Path> files) {
        return load(files, Map.of());
    }

    static Config load(List<Path> files, Map<String, String> overrides) {
        Config c = ConfigLoader.loadFiles(files, overrides);
        Map<String, String> completed = new LinkedHashMap<>(overrides);
        for (String key : List.of("pmf.data-prep.input", "pmf.data-prep.output", "pmf.train.data")) {
            if (c.getString(key).isBlank()) {
                completed.put(key, "s3a://placeholder/" + key);
            }
        }
        return ConfigLoader.loadFiles(files, completed);
    }

    @Test
    void everyPresetAloneAndUnderEveryOverlayBuildsEverySection() throws Exception {
        assertTrue(presets().size() >= 7, "demo and six ImageNet presets, found " + presets());
        List<String> failures = new ArrayList<>();
        for (Path preset : presets()) {
            for (List<String> stack : OVERLAY_STACKS) {
                List<Path> files = new ArrayList<>(List.of(preset));
                stack.forEach(o -> files.add(Repo.file("conf/" + o)));
                try {
                    RunSettings s = RunSettings.of(load(files));
                    if (s.checkpoint().everySteps() % s.train().localSteps() != 0) {
                        failures.add(files + ": pmf.checkpoint.every-steps is not a multiple of pmf.train.local-steps");
                    }
                } catch (ConfigError e) {
                    failures.add(files + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void anUnknownKeyInAConfFileIsRejectedNamingIt() throws Exception {
        Path bad = Files.createTempFile("typo", ".conf");
        Files.writeString(bad, "pmf.train.bach-size = 64\n");
        try {
            ConfigError e = org.junit.jupiter.api.Assertions.assertThrows(ConfigError.class,
                () -> ConfigLoader.loadFiles(List.of(Repo.file("conf/imagenet-256-b16.conf"), bad), Map.of()));
            assertEquals("pmf.train.bach-size", e.key());
        } finally {
            Files.delete(bad);
        }
    }

    @Test
    void imagenetPresetsCarryThePapersHyperparameters() throws Exception {
        Pattern name = Pattern.compile("imagenet-(256|512)-([blh])(16|32)\\.conf");
        int checked = 0;
        for (Path preset : presets()) {
            Matcher m = name.matcher(preset.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            checked++;
            int size = Integer.parseInt(m.group(1));
            String model = m.group(2).toUpperCase() + "/" + m.group(3);
            for (List<String> stack : List.of(List.<String>of(), List.of("yarn.conf", "gpu.conf"))) {
                List<Path> files = new ArrayList<>(List.of(preset));
                stack.forEach(o -> files.add(Repo.file("conf/" + o)));
                Config c = load(files);
                RunSettings s = RunSettings.of(c);
                String where = files.toString();
                assertEquals(model, c.getString("pmf.model.preset"), where);
                assertEquals(size, s.model().imageSize(), where);
                assertEquals(size / 16, s.model().patchSize(), where);
                assertEquals(s.model().imageSize(), s.dataPrep().imageSize(), where + ": data-prep makes the images the model trains on");
                assertEquals(s.model().patchSize(), s.dataPrep().patchSize(), where);
                assertEquals(1000, s.model().numClasses(), where);
                assertEquals(1024, s.train().batchSize() * s.train().tasks(), where + ": global batch");
                long epochs = s.train().steps() / 1251;
                assertEquals(s.train().steps(), epochs * 1251, where + ": whole epochs of 1251 steps");
                assertEquals(model.startsWith("H") ? 360 : 320, epochs, where);
                double base = size / 256.0;
                assertTrue(s.objective().noiseScale() == base || s.objective().noiseScale() == 2 * base,
                    where + ": noise scale image/256, doubled in the long recipe");
                assertEquals(0.8, s.objective().time().logitStd(), where);
                assertEquals(0.5, s.objective().time().equalFraction(), where);
                assertEquals(7.0, s.objective().guidance().maxScale(), where);
                assertEquals(0.1, s.objective().guidance().classDropout(), where);
                assertEquals(OptimizerConfig.Kind.MUON_ADAMW, s.optimizer().kind(), where);
                assertEquals(1e-3, s.optimizer().learningRate(), where);
                assertEquals(0, s.optimizer().warmupSteps(), where);
                assertEquals(List.of(500.0, 1000.0, 2000.0), s.ema().halfLivesKimg(), where);
                assertFalse(s.perceptual().anyEnabled(), where + ": the Spark trainer applies no perceptual term yet");
            }
        }
        assertEquals(6, checked, "B, L, H at 256 and 512");
    }

    @Test
    void noCommittedDeploymentFileHoldsS3Credentials() throws Exception {
        List<Pattern> secrets = List.of(
            Pattern.compile("fs\\.s3a\\.(access|secret|session)\\.key\\s*[=:]"),
            Pattern.compile("AKIA[0-9A-Z]{16}"),
            Pattern.compile("AWS_(SECRET_ACCESS_KEY|ACCESS_KEY_ID|SESSION_TOKEN)\\s*[=:]\\s*[\"']?[A-Za-z0-9/+]{8,}"),
            Pattern.compile("(?i)aws_secret_access_key\\s*[=:]\\s*[\"']?[A-Za-z0-9/+]{8,}"));
        List<String> found = new ArrayList<>();
        for (String folder : List.of("conf", "deploy/yarn", "deploy/k8s", "deploy/airflow", "notebooks")) {
            for (Path f : Repo.files(folder, "")) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    for (Pattern p : secrets) {
                        if (p.matcher(lines.get(i)).find()) {
                            found.add(Repo.root().relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        if (!found.isEmpty()) {
            fail("credentials belong in the environment, instance roles or a Hadoop credential provider, not in:\n"
                + String.join("\n", found));
        }
    }
}
