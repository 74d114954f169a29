package org.pmf.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.nn.Param;

/**
 * Maps our parameters to and from the state-dict names and layouts of the official PyTorch port
 * (github.com/Lyy-iiis/pMF, branch torch, models/pmfDiT.py). Our names are the official ones without
 * the port's {@code ._flax_linear} / {@code ._flax_embedding} wrappers; the tensors differ as follows:
 *
 * <table>
 * <caption>Official tensor to our parameter</caption>
 * <tr><th>official name</th><th>official shape</th><th>our name</th><th>our shape</th><th>conversion</th></tr>
 * <tr><td>{time,class,omega,t_min,t_max}_tokens, pos_embed</td><td>[1, n, D]</td><td>same</td><td>[n, D]</td><td>drop the leading 1</td></tr>
 * <tr><td>x_embedder.proj1.weight</td><td>[c_b, 3, p, p] (conv; input (c, i, j))</td><td>x_embedder.proj1.weight</td>
 *     <td>[p*p*3, c_b] (input (i, j, c), channel fastest)</td><td>ours[(i*p + j)*3 + c][o] = official[o][c][i][j]</td></tr>
 * <tr><td>x_embedder.proj2.weight</td><td>[D, c_b, 1, 1]</td><td>x_embedder.proj2.weight</td><td>[c_b, D]</td><td>transpose</td></tr>
 * <tr><td>X._flax_linear.weight (attention q/k/v/out_proj, mlp.w1/w2/w3, *_embedder.mlp.0/2,
 *     *_final_layer.linear)</td><td>[out, in]</td><td>X.weight</td><td>[in, out]</td><td>transpose</td></tr>
 * <tr><td>X._flax_linear.bias</td><td>[out]</td><td>X.bias</td><td>[out]</td><td>none</td></tr>
 * <tr><td>y_embedder.embedding_table._flax_embedding.weight</td><td>[classes + 1, D]</td>
 *     <td>y_embedder.embedding_table.weight</td><td>same</td><td>none</td></tr>
 * <tr><td>norms (norm1, norm2, attn.q_norm, attn.k_norm, *_final_layer.norm), attn_scale, mlp_scale,
 *     proj biases</td><td>[n]</td><td>same</td><td>same</td><td>none</td></tr>
 * </table>
 *
 * The final layers' output columns are already (i, j, c) with channel fastest, our patch layout.
 * The RoPE table {@code rope_freqs} is a buffer fixed by the configuration and is ignored on load.
 * A {@code net.} prefix (the port's inference wrapper) is accepted. Files without v-head tensors
 * load into an inference network; v-head tensors in the file are skipped when the network has none.
 * Files: {@code OfficialWeights.load(net, Safetensors.read(path).tensors())} (or {@code Npz.read(path).arrays()});
 * {@code Safetensors.write(path, OfficialWeights.export(net), metadata)}.
 */
public final class OfficialWeights {

    private enum Layout { SAME, LEADING_ONE, LINEAR, PATCH_CONV, POINT_CONV }

    private OfficialWeights() {
    }

    /** Copies official tensors into the network's parameters; fails naming the first tensor that is missing, extra or misshapen. */
    public static void load(PmfNet net, Map<String, INDArray> official) {
        Map<String, INDArray> byName = stripWrapperPrefix(official);
        PmfNetConfig c = net.config();
        Map<String, Param> expected = new LinkedHashMap<>();
        for (Param p : net.params().params()) {
            String name = officialName(p.name());
            expected.put(name, p);
            INDArray t = byName.get(name);
            if (t == null) {
                throw new IllegalArgumentException("official weights lack tensor " + name + " (shape "
                    + Arrays.toString(officialShape(p, c)) + ") for parameter " + p.name());
            }
            long[] want = officialShape(p, c);
            if (!Arrays.equals(t.shape(), want)) {
                throw new IllegalArgumentException("official tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(want) + " for " + c);
            }
            p.value().assign(toOurs(t, p, c).castTo(p.value().dataType()));
        }
        for (String name : byName.keySet()) {
            boolean skippable = name.equals("rope_freqs")
                || !net.hasVHead() && (name.startsWith("v_heads.") || name.startsWith("v_final_layer."));
            if (!expected.containsKey(name) && !skippable) {
                throw new IllegalArgumentException("official weights hold tensor " + name + " "
                    + Arrays.toString(byName.get(name).shape()) + ", which this network (" + c + ") has no parameter for");
            }
        }
    }

    /** The network's parameters under official names and layouts (copies), e.g. to write a file the official port loads. */
    public static Map<String, INDArray> export(PmfNet net) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Param p : net.params().params()) {
            out.put(officialName(p.name()), toOfficial(p.value(), p, net.config()));
        }
        return out;
    }

    /** The official state-dict name of one of our parameter names. */
    public static String officialName(String ours) {
        if (ours.equals("y_embedder.embedding_table.weight")) {
            return "y_embedder.embedding_table._flax_embedding.weight";
        }
        if (layout(ours) == Layout.LINEAR || isLinearBias(ours)) {
            int dot = ours.lastIndexOf('.');
            return ours.substring(0, dot) + "._flax_linear" + ours.substring(dot);
        }
        return ours;
    }

    private static boolean isLinearBias(String name) {
        return name.endsWith(".bias") && isLinear(name.substring(0, name.length() - ".bias".length()));
    }

    private static boolean isLinear(String module) {
        return module.endsWith("_proj") || module.matches(".*\\.mlp\\.w[123]") || module.matches(".*_embedder\\.mlp\\.[02]")
            || module.endsWith("_final_layer.linear");
    }

    private static Layout layout(String ours) {
        if (ours.endsWith("_tokens") || ours.equals("pos_embed")) {
            return Layout.LEADING_ONE;
        }
        if (ours.equals("x_embedder.proj1.weight")) {
            return Layout.PATCH_CONV;
        }
        if (ours.equals("x_embedder.proj2.weight")) {
            return Layout.POINT_CONV;
        }
        if (ours.endsWith(".weight") && isLinear(ours.substring(0, ours.length() - ".weight".length()))) {
            return Layout.LINEAR;
        }
        return Layout.SAME;
    }

    private static long[] officialShape(Param p, PmfNetConfig c) {
        long[] s = p.shape();
        switch (layout(p.name())) {
            case LEADING_ONE:
                return new long[] {1, s[0], s[1]};
            case PATCH_CONV:
                return new long[] {s[1], 3, c.patchSize(), c.patchSize()};
            case POINT_CONV:
                return new long[] {s[1], s[0], 1, 1};
            case LINEAR:
                return new long[] {s[1], s[0]};
            default:
                return s;
        }
    }

    private static INDArray toOurs(INDArray t, Param p, PmfNetConfig c) {
        long[] s = p.shape();
        switch (layout(p.name())) {
            case LEADING_ONE:
                return t.reshape('c', s);
            case PATCH_CONV:
                // [o, c, i, j] -> [i, j, c, o] -> [(i, j, c), o]
                return t.permute(2, 3, 1, 0).dup('c').reshape('c', s);
            case POINT_CONV:
                return t.reshape('c', s[1], s[0]).transpose().dup('c');
            case LINEAR:
                return t.transpose().dup('c');
            default:
                return t;
        }
    }

    private static INDArray toOfficial(INDArray v, Param p, PmfNetConfig c) {
        long[] s = p.shape();
        int ps = c.patchSize();
        switch (layout(p.name())) {
            case LEADING_ONE:
                return v.dup('c').reshape('c', 1, s[0], s[1]);
            case PATCH_CONV:
                // [(i, j, c), o] -> [i, j, c, o] -> [o, c, i, j]
                return v.reshape('c', ps, ps, 3, s[1]).permute(3, 2, 0, 1).dup('c');
            case POINT_CONV:
                return v.transpose().dup('c').reshape('c', s[1], s[0], 1, 1);
            case LINEAR:
                return v.transpose().dup('c');
            default:
                return v.dup('c');
        }
    }

    private static Map<String, INDArray> stripWrapperPrefix(Map<String, INDArray> official) {
        boolean allPrefixed = !official.isEmpty() && official.keySet().stream().allMatch(k -> k.startsWith("net."));
        if (!allPrefixed) {
            return official;
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        official.forEach((k, v) -> out.put(k.substring("net.".length()), v));
        return out;
    }
}
