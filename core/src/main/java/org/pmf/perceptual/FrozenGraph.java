package org.pmf.perceptual;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a SameDiff graph whose weights are constants taken from a {@link NamedWeights} file
 * (frozen: no gradient is ever computed for them), in NCHW layout and one data type.
 * Weights are stored as PyTorch lays them out (convolutions [out, in, kH, kW]) and permuted here
 * to SameDiff's [kH, kW, in, out]. Scalars are constants broadcast against tensors, because
 * scalar ops with workspaces crash ND4J M2.1 (platform-notes.md, trap 5).
 */
public final class FrozenGraph {

    public final SameDiff sd = SameDiff.create();
    public final DataType type;
    private final NamedWeights weights;
    /** Constants by weight name: the prediction and target branches share them. */
    private final java.util.Map<String, SDVariable> loaded = new java.util.HashMap<>();
    private int constants;

    public FrozenGraph(NamedWeights weights, DataType type) {
        this.weights = weights;
        this.type = type;
    }

    /** The tensor {@code name} with the given shape, as a constant of the graph's type. */
    public SDVariable weight(String name, long... shape) {
        return constant(name, "stored", () -> weights.require(name, shape).castTo(type).dup());
    }

    /**
     * The graph's constant {@code name}: the stored tensor in the given {@code form} (how value
     * derives it). Graphs never write their constants, so graphs built from the same weights share them.
     */
    private SDVariable constant(String name, String form, java.util.function.Supplier<INDArray> value) {
        return loaded.computeIfAbsent(name, n -> sd.constant(n, weights.prepared(n + " " + form + " " + type, value)));
    }

    public SDVariable scalar(double v) {
        return sd.constant("scalar" + (constants++), Nd4j.scalar(type, v));
    }

    /** A constant of the given values with shape [1, n, 1, 1], broadcast over NCHW channels. */
    public SDVariable perChannel(double... values) {
        return sd.constant("channels" + (constants++), Nd4j.create(values, new long[] {1, values.length, 1, 1}, type));
    }

    /** A per-channel weight vector {@code name} of length n reshaped to [1, n, 1, 1]. */
    public SDVariable perChannelWeight(String name, long n) {
        return constant(name, "per channel", () -> weights.require(name, n).castTo(type).reshape(1, n, 1, 1).dup());
    }

    /**
     * Convolution with the PyTorch weight {@code prefix.weight} [out, in, kH, kW] and, when
     * {@code bias}, {@code prefix.bias} [out]; explicit zero padding.
     */
    public SDVariable conv(SDVariable x, String prefix, long in, long out, int kH, int kW, int stride, int padH, int padW, boolean bias) {
        SDVariable wv = constant(prefix + ".weight", "conv kernel",
            () -> weights.require(prefix + ".weight", out, in, kH, kW).castTo(type).permute(2, 3, 1, 0).dup());
        Conv2DConfig c = Conv2DConfig.builder().kH(kH).kW(kW).sH(stride).sW(stride).pH(padH).pW(padW)
            .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        if (!bias) {
            return sd.cnn.conv2d(x, wv, c);
        }
        return sd.cnn.conv2d(x, wv, weight(prefix + ".bias", out), c);
    }

    /**
     * Inference-mode BatchNorm ({@code prefix.weight, .bias, .running_mean, .running_var}) folded
     * into one per-channel scale and shift, computed in double precision.
     */
    public SDVariable batchNorm(SDVariable x, String prefix, long channels, double eps) {
        INDArray gamma = weights.require(prefix + ".weight", channels).castTo(DataType.DOUBLE);
        INDArray beta = weights.require(prefix + ".bias", channels).castTo(DataType.DOUBLE);
        INDArray mean = weights.require(prefix + ".running_mean", channels).castTo(DataType.DOUBLE);
        INDArray var = weights.require(prefix + ".running_var", channels).castTo(DataType.DOUBLE);
        INDArray scale = gamma.div(org.nd4j.linalg.ops.transforms.Transforms.sqrt(var.add(eps)));
        INDArray shift = beta.sub(mean.mul(scale));
        SDVariable s = constant(prefix + ".scale", "folded", () -> scale.castTo(type).reshape(1, channels, 1, 1).dup());
        SDVariable t = constant(prefix + ".shift", "folded", () -> shift.castTo(type).reshape(1, channels, 1, 1).dup());
        return x.mul(s).add(t);
    }

    /** A stored tensor of {@code stored} shape, reshaped to {@code shape} (same element order). */
    public SDVariable reshapedWeight(String name, long[] stored, long[] shape) {
        return constant(name, "reshaped " + java.util.Arrays.toString(shape), () -> weights.require(name, stored).castTo(type).reshape(shape).dup());
    }

    /** A PyTorch Linear ({@code prefix.weight} [out, in], {@code prefix.bias}) over NCHW channels, as a 1x1 convolution. */
    public SDVariable linearOverChannels(SDVariable x, String prefix, long in, long out) {
        SDVariable w = constant(prefix + ".weight", "1x1 conv kernel",
            () -> weights.require(prefix + ".weight", out, in).castTo(type).transpose().reshape(1, 1, in, out).dup());
        Conv2DConfig c = Conv2DConfig.builder().kH(1).kW(1).sH(1).sW(1).pH(0).pW(0)
            .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        return sd.cnn.conv2d(x, w, weight(prefix + ".bias", out), c);
    }

    /** The kernel of a PyTorch Linear ({@code prefix.weight} [out, in]) as an [in, out] matrix for {@code x.mmul}. */
    public SDVariable linearKernel(String prefix, long in, long out) {
        return constant(prefix + ".weight", "transposed", () -> weights.require(prefix + ".weight", out, in).castTo(type).transpose().dup());
    }

    /** Depthwise convolution with the PyTorch weight [channels, 1, k, k] and its bias. */
    public SDVariable depthwiseConv(SDVariable x, String prefix, long channels, int k, int pad) {
        SDVariable w = constant(prefix + ".weight", "depthwise kernel",
            () -> weights.require(prefix + ".weight", channels, 1, k, k).castTo(type).permute(2, 3, 0, 1).dup());
        Conv2DConfig c = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).pH(pad).pW(pad)
            .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        return sd.cnn.depthWiseConv2d(x, w, weight(prefix + ".bias", channels), c);
    }

    /** LayerNorm over the channel axis of an NCHW tensor (ConvNeXt's "channels_first" LayerNorm). */
    public SDVariable channelLayerNorm(SDVariable x, String prefix, long channels, double eps) {
        SDVariable mean = x.mean(true, 1);
        SDVariable centred = x.sub(mean);
        SDVariable var = centred.mul(centred).mean(true, 1);
        SDVariable normed = centred.div(sd.math.sqrt(var.add(scalar(eps))));
        return normed.mul(perChannelWeight(prefix + ".weight", channels)).add(perChannelWeight(prefix + ".bias", channels));
    }

    /** GELU with the exact error function, as PyTorch's default (ND4J's gelu is an approximation). */
    public SDVariable gelu(SDVariable x) {
        SDVariable erf = sd.math.erf(x.mul(scalar(1.0 / Math.sqrt(2.0))));
        return x.mul(scalar(0.5)).mul(erf.add(scalar(1.0)));
    }
}
