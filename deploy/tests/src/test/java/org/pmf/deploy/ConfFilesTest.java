package org.pmf.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.pmf.config.ConfigError;
import org.pmf.config.ConfigLoader;
import org.pmf.optim.OptimizerConfig;
import org.pmf.perceptual.PerceptualConfig;
import org.pmf.perceptual.PerceptualLosses;

/**
 * conf/: every preset, alone and under every cluster overlay, loads through ConfigLoader (unknown
 * keys rejected) and builds every typed section; the ImageNet presets carry the paper's
 * hyperparameters (pmf-method.md section 4) with its perceptual loss, whose weights only the site
 * provides; no committed file holds S3 credentials.
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

    /** Loads files as a driver with these environment variables would (in a child JVM: DriverEnvironment). */
    static Config load(List<Path> files, Map<String, String> overrides, Map<String, String> environment) {
        return environment.isEmpty() ? load(files, overrides) : DriverEnvironment.load(files, overrides, environment);
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
                assertPapersPerceptualLoss(model, s.perceptual(), where);
            }
        }
        assertEquals(6, checked, "B, L, H at 256 and 512");
    }

    /**
     * t_thr of each model's released config (pmf-method.md 2.3): 0.8 in the default recipe, 0.6 in
     * the longer-training one (H/16, H/32) and in L/32's config.
     */
    private static final Map<String, Double> PERCEPTUAL_MAX_T =
        Map.of("B/16", 0.8, "B/32", 0.8, "L/16", 0.8, "L/32", 0.6, "H/16", 0.6, "H/32", 0.6);

    /** LPIPS-VGG16 0.4 and ConvNeXt-V2-Base 0.1 where t < t_thr (pmf-method.md 1.6), at 224 px. */
    private static void assertPapersPerceptualLoss(String model, PerceptualConfig p, String where) {
        assertTrue(p.lpips().enabled() && p.convnext().enabled(), where + ": the paper trains with both perceptual terms");
        assertEquals(0.4, p.lpips().weight(), where + ": LPIPS weight");
        assertEquals(0.1, p.convnext().weight(), where + ": ConvNeXt weight");
        assertEquals(PERCEPTUAL_MAX_T.get(model), p.maxT(), where + ": t_thr of " + model);
        assertEquals(1, p.lpipsWidthDivisor(), where + ": the real VGG16");
        assertEquals(List.of(128L, 256L, 512L, 1024L), Arrays.stream(p.convnextDims()).boxed().toList(), where + ": ConvNeXt-V2-Base");
        assertEquals(List.of(3, 3, 27, 3), Arrays.stream(p.convnextDepths()).boxed().toList(), where + ": ConvNeXt-V2-Base");
        assertEquals(224, p.resolution(), where + ": the networks' input size");
        // the weights' location is the site's, never the preset's
        assertEquals(System.getenv().getOrDefault("PMF_LPIPS_WEIGHTS", ""), p.lpips().weightsFile(), where);
        assertEquals(System.getenv().getOrDefault("PMF_CONVNEXT_WEIGHTS", ""), p.convnext().weightsFile(), where);
    }

    @Test
    void theFashionMnistDemoTrainsWithoutPerceptualTerms() {
        // 32-pixel garments are not what the 224-pixel natural-image networks were trained on
        RunSettings s = RunSettings.of(load(List.of(Repo.file("conf/demo.conf"))));
        assertFalse(s.perceptual().anyEnabled(), "conf/demo.conf");
    }

    @Test
    void trainingAnImagenetPresetWithoutWeightLocationsStopsAtStartUpNamingTheLpipsKey() throws Exception {
        requireNoWeightLocationsInThisEnvironment();
        Path lpips = Files.createTempFile("lpips", ".safetensors");
        Path convnext = Files.createTempFile("convnext", ".safetensors");
        try {
            for (Path preset : imagenetPresets()) {
                String where = preset.getFileName().toString();
                ConfigError e = assertThrows(ConfigError.class, () -> requireWeightFiles(preset, Map.of()), where);
                assertEquals(RunSettings.LPIPS_WEIGHTS, e.key(), where);
                assertTrue(e.getMessage().contains("convert_perceptual_weights.py lpips"), where + ": " + e.getMessage());

                e = assertThrows(ConfigError.class, () -> requireWeightFiles(preset, Map.of("PMF_LPIPS_WEIGHTS", lpips.toString())), where);
                assertEquals(RunSettings.CONVNEXT_WEIGHTS, e.key(), where + ": with the LPIPS weights only");

                assertDoesNotThrow(() -> requireWeightFiles(preset,
                    Map.of("PMF_LPIPS_WEIGHTS", lpips.toString(), "PMF_CONVNEXT_WEIGHTS", convnext.toString())), where + ": with both");
            }
        } finally {
            Files.delete(lpips);
            Files.delete(convnext);
        }
    }

    /** What TrainCommand checks at start-up, before any executor works, with the preset and a driver environment. */
    private static void requireWeightFiles(Path preset, Map<String, String> environment) {
        RunSettings s = RunSettings.of(load(List.of(preset), Map.of(), environment));
        PerceptualLosses.requireWeightFiles(s.perceptual(), new Configuration());
    }

    /** The tests check what the deployment files provide; weights locations set in this JVM would stand in for them. */
    static void requireNoWeightLocationsInThisEnvironment() {
        for (String name : List.of("PMF_LPIPS_WEIGHTS", "PMF_CONVNEXT_WEIGHTS")) {
            if (System.getenv(name) != null) {
                fail("unset " + name + " to run this test: it checks what the deployment files provide");
            }
        }
    }

    static List<Path> imagenetPresets() throws Exception {
        List<Path> presets = presets().stream().filter(p -> p.getFileName().toString().startsWith("imagenet-")).toList();
        assertEquals(6, presets.size(), presets.toString());
        return presets;
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
