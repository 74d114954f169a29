package org.pmf.perceptual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.io.Npz;
import org.pmf.io.Safetensors;

class NamedWeightsTest {

    private static final Map<String, INDArray> TENSORS = Map.of(
        "lpips.lin0.weight", Nd4j.rand(DataType.FLOAT, 1, 4, 1, 1),
        "vgg.features.0.bias", Nd4j.rand(DataType.FLOAT, 4));

    @Test
    void readsTheSameTensorsFromSafetensorsAndNpz(@TempDir Path dir) throws Exception {
        Safetensors.write(dir.resolve("w.safetensors"), TENSORS, Map.of());
        Npz.write(dir.resolve("w.npz"), TENSORS, false);
        for (String file : new String[] {"w.safetensors", "w.npz"}) {
            NamedWeights w = NamedWeights.fromFile(dir.resolve(file));
            assertEquals(TENSORS.get("lpips.lin0.weight"), w.require("lpips.lin0.weight", 1, 4, 1, 1));
            assertEquals(TENSORS.get("vgg.features.0.bias"), w.require("vgg.features.0.bias", 4));
            w.requireAllUsed();
        }
    }

    @Test
    void aMissingTensorIsNamedWithTheFile() {
        NamedWeights w = NamedWeights.of("lpips.safetensors", TENSORS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.require("lpips.lin1.weight", 1, 8, 1, 1));
        assertTrue(e.getMessage().contains("lpips.safetensors") && e.getMessage().contains("lpips.lin1.weight"), e.getMessage());
    }

    @Test
    void anUnknownSuffixIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("w.pth");
        java.nio.file.Files.writeString(f, "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamedWeights.fromFile(f));
        assertTrue(e.getMessage().contains(".safetensors or .npz"), e.getMessage());
    }
}
