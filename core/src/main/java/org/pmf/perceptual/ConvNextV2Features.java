package org.pmf.perceptual;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * ConvNeXt-V2 image features as the official pMF code uses them (HF {@code facebook/convnextv2-base-22k-224},
 * {@code forward_features}): stem (4x4 stride-4 conv, channels-first LayerNorm), four stages of blocks
 * with LayerNorm + 2x2 stride-2 downsampling between them, global average pool, final LayerNorm.
 * The distance is the squared L2 between the two images' features, summed over features.
 *
 * <p>A block: 7x7 depthwise conv, LayerNorm over channels, 1x1 to 4x width, exact GELU, GRN
 * (global response normalisation), 1x1 back, residual. Weight names are HF ConvNextV2Model's
 * ({@code convnextv2.embeddings.*}, {@code convnextv2.encoder.stages.<s>.*}, {@code convnextv2.layernorm.*}).
 * Everything runs in NCHW, the 1x1 "Linear" layers as 1x1 convolutions.
 */
public final class ConvNextV2Features {

    /** Stage widths and depths; {@link #BASE} is the network pMF uses. */
    public record Shape(long[] dims, int[] depths) {
        public static final Shape BASE = new Shape(new long[] {128, 256, 512, 1024}, new int[] {3, 3, 27, 3});

        public Shape {
            if (dims.length != 4 || depths.length != 4 || Arrays.stream(dims).anyMatch(d -> d < 1)
                || Arrays.stream(depths).anyMatch(d -> d < 1)) {
                throw new IllegalArgumentException("ConvNeXt-V2 needs 4 positive stage widths and depths, got "
                    + Arrays.toString(dims) + " and " + Arrays.toString(depths));
            }
        }
    }

    private static final double BLOCK_EPS = 1e-6;
    /** HF ConvNextV2Config.layer_norm_eps, used by the final (pooled) LayerNorm. */
    private static final double FINAL_EPS = 1e-12;
    private static final double GRN_EPS = 1e-6;
    /** Under the square root of GRN's spatial norm: keeps its gradient finite at an all-zero channel. */
    private static final double NORM_FLOOR = 1e-20;

    private ConvNextV2Features() {
    }

    public static PerceptualDistance load(NamedWeights weights, Shape shape, DataType type) {
        return new DistanceGraph("convnext", weights, type, (g, pred, target) -> {
            SDVariable diff = features(g, pred, shape).sub(features(g, target, shape));
            return diff.mul(diff).sum(false, 1);
        });
    }

    /** The pooled, normalised features [B, dims[3]] of images [B, 3, H, W] (H, W multiples of 32). */
    static SDVariable features(FrozenGraph g, SDVariable x, Shape shape) {
        long[] dims = shape.dims();
        x = g.conv(x, "convnextv2.embeddings.patch_embeddings", 3, dims[0], 4, 4, 4, 0, 0, true);
        x = g.channelLayerNorm(x, "convnextv2.embeddings.layernorm", dims[0], BLOCK_EPS);
        for (int s = 0; s < 4; s++) {
            String stage = "convnextv2.encoder.stages." + s + ".";
            if (s > 0) {
                x = g.channelLayerNorm(x, stage + "downsampling_layer.0", dims[s - 1], BLOCK_EPS);
                x = g.conv(x, stage + "downsampling_layer.1", dims[s - 1], dims[s], 2, 2, 2, 0, 0, true);
            }
            for (int l = 0; l < shape.depths()[s]; l++) {
                x = block(g, x, stage + "layers." + l + ".", dims[s]);
            }
        }
        SDVariable pooled = x.mean(false, 2, 3);
        SDVariable mean = pooled.mean(true, 1);
        SDVariable centred = pooled.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 1);
        SDVariable normed = centred.div(g.sd.math.sqrt(var.add(g.scalar(FINAL_EPS))));
        return normed.mul(g.weight("convnextv2.layernorm.weight", dims[3]))
            .add(g.weight("convnextv2.layernorm.bias", dims[3]));
    }

    private static SDVariable block(FrozenGraph g, SDVariable x, String p, long dim) {
        SDVariable y = g.depthwiseConv(x, p + "dwconv", dim, 7, 3);
        y = g.channelLayerNorm(y, p + "layernorm", dim, BLOCK_EPS);
        y = g.gelu(g.linearOverChannels(y, p + "pwconv1", dim, 4 * dim));
        y = grn(g, y, p + "grn", 4 * dim);
        y = g.linearOverChannels(y, p + "pwconv2", 4 * dim, dim);
        return x.add(y);
    }

    /** GRN: x + gamma * (x * N(x)) + beta, N = spatial L2 norm over its channel mean. */
    private static SDVariable grn(FrozenGraph g, SDVariable x, String prefix, long channels) {
        SDVariable gx = g.sd.math.sqrt(x.mul(x).sum(true, 2, 3).add(g.scalar(NORM_FLOOR)));
        SDVariable nx = gx.div(gx.mean(true, 1).add(g.scalar(GRN_EPS)));
        SDVariable gamma = g.reshapedWeight(prefix + ".weight", new long[] {1, 1, 1, channels}, new long[] {1, channels, 1, 1});
        SDVariable beta = g.reshapedWeight(prefix + ".bias", new long[] {1, 1, 1, channels}, new long[] {1, channels, 1, 1});
        return x.mul(nx).mul(gamma).add(beta).add(x);
    }
}
