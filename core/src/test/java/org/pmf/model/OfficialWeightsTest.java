package org.pmf.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.io.Safetensors;
import org.pmf.nn.TestArrays;

/** The official-name mapping: every fixture tensor is used, export inverts load, and mismatches name the tensor. */
class OfficialWeightsTest {

    @Test
    void exportReproducesTheOfficialFixtureTensorsBitForBit() throws IOException {
        Map<String, INDArray> official = OfficialFixture.read("weights.npz");
        PmfNet net = PmfNet.create(PmfNetConfig.preset("tiny"), DataType.FLOAT, true, 0);
        OfficialWeights.load(net, official);
        Map<String, INDArray> exported = OfficialWeights.export(net);
        assertEquals(official.keySet(), exported.keySet());
        for (String name : official.keySet()) {
            assertEquals(official.get(name), exported.get(name), name);
        }
    }

    @Test
    void inferenceNetworkSkipsVHeadTensorsAndAcceptsTheWrapperPrefix() throws IOException {
        Map<String, INDArray> prefixed = new LinkedHashMap<>();
        OfficialFixture.read("weights.npz").forEach((k, v) -> prefixed.put("net." + k, v));
        PmfNet net = PmfNet.create(PmfNetConfig.preset("tiny"), DataType.FLOAT, false, 0);
        OfficialWeights.load(net, prefixed);
        assertEquals(prefixed.get("net.u_final_layer.linear._flax_linear.bias"), net.params().get("u_final_layer.linear.bias").value());
    }

    @Test
    void loadThenExportIsExactForRandomWeights() {
        PmfNet a = PmfNet.create(PmfNetConfig.preset("tiny"), DataType.DOUBLE, true, 0);
        TestArrays.randomize(a.params(), 3);
        PmfNet b = PmfNet.create(PmfNetConfig.preset("tiny"), DataType.DOUBLE, true, 1);
        OfficialWeights.load(b, OfficialWeights.export(a));
        assertEquals(a.params().values(), b.params().values());
    }

    @Test
    void savedAsSafetensorsUnderOfficialNamesLoadsBackBitForBit(@TempDir Path dir) throws IOException {
        PmfNet a = PmfNet.create(PmfNetConfig.preset("tiny"), DataType.FLOAT, true, 0);
        TestArrays.randomize(a.params(), 4);
        Path file = dir.resolve("tiny.safetensors");
        Safetensors.write(file, OfficialWeights.export(a), Map.of("format", "pt"));
        PmfNet b = PmfNet.create(PmfNetConfig.preset("tiny"), DataType.FLOAT, true, 1);
        OfficialWeights.load(b, Safetensors.read(file).tensors());
        assertEquals(a.params().values(), b.params().values());
    }

    @Test
    void missingOrMisshapenOrUnknownTensorsAreNamed() throws IOException {
        Map<String, INDArray> official = OfficialFixture.read("weights.npz");
        PmfNet net = PmfNet.create(PmfNetConfig.preset("tiny"), DataType.FLOAT, true, 0);

        Map<String, INDArray> missing = new LinkedHashMap<>(official);
        missing.remove("shared_blocks.1.mlp.w3._flax_linear.weight");
        IllegalArgumentException e1 = assertThrows(IllegalArgumentException.class, () -> OfficialWeights.load(net, missing));
        assertTrue(e1.getMessage().contains("shared_blocks.1.mlp.w3._flax_linear.weight"), e1.getMessage());

        Map<String, INDArray> misshapen = new LinkedHashMap<>(official);
        misshapen.put("pos_embed", official.get("pos_embed").reshape(84, 64));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> OfficialWeights.load(net, misshapen));
        assertTrue(e2.getMessage().contains("pos_embed") && e2.getMessage().contains("[1, 84, 64]"), e2.getMessage());

        Map<String, INDArray> extra = new LinkedHashMap<>(official);
        extra.put("shared_blocks.2.attn_scale", official.get("shared_blocks.0.attn_scale"));
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> OfficialWeights.load(net, extra));
        assertTrue(e3.getMessage().contains("shared_blocks.2.attn_scale"), e3.getMessage());
    }
}
