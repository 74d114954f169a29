package org.pmf.eval;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.pmf.perceptual.FrozenGraph;
import org.pmf.perceptual.NamedWeights;
import org.pmf.perceptual.Resampler;

/**
 * The Inception-v3 of the original TF FID graph ("pt_inception-2015-12-05"), structured as
 * pytorch-fid's {@code FIDInceptionA/C/E_1/E_2} variants: average pools exclude padding, Mixed_7c
 * pools with max instead of average, 1008-way logits. Torchvision's Inception-v3 differs and gives
 * other FID values. Input images NCHW in [0, 1] of any size, resized to 299 x 299 bilinearly (as
 * pytorch-fid), then mapped to [-1, 1]. Outputs the 2048-d pool features (FID) and logits (IS).
 *
 * <p>Weight names are pytorch-fid's state-dict names ({@code Conv2d_1a_3x3.conv.weight},
 * {@code Mixed_5b.branch1x1.bn.running_mean}, ..., {@code fc.weight}). {@code widthDivisor} divides
 * every width (1 for the real network; tests use small random versions). Forward only.
 */
public final class FidInception {

    public static final int INPUT_SIZE = 299;
    public static final int LOGITS = 1008;
    private static final double BN_EPS = 1e-3;
    private static final String IMAGES = "images";

    /** Features and logits of a batch: pool [B, 2048 / widthDivisor], logits [B, 1008]. */
    public record Outputs(INDArray pool, INDArray logits) {
    }

    private record Branch(SDVariable v, long channels) {
    }

    private final FrozenGraph g;
    private final int div;
    private final long poolWidth;

    private FidInception(NamedWeights weights, int widthDivisor) {
        this.g = new FrozenGraph(weights, DataType.FLOAT);
        this.div = widthDivisor;
        this.poolWidth = 2048 / widthDivisor;
        build();
        weights.requireAllUsed();
    }

    public static FidInception load(NamedWeights weights, int widthDivisor) {
        int[] widths = {32, 48, 64, 80, 96, 128, 160, 192, 320, 384, 448};
        for (int w : widths) {
            if (w % widthDivisor != 0) {
                throw new IllegalArgumentException("Inception width divisor " + widthDivisor + " must divide every width (32 ... 448)");
            }
        }
        return new FidInception(weights, widthDivisor);
    }

    public long poolWidth() {
        return poolWidth;
    }

    /** Runs images NCHW [B, 3, H, W] with values in [0, 1]. */
    public Outputs run(INDArray images) {
        if (images.rank() != 4 || images.size(1) != 3) {
            throw new IllegalArgumentException("Inception input must be NCHW [B, 3, H, W], got " + java.util.Arrays.toString(images.shape()));
        }
        INDArray x = images.castTo(DataType.FLOAT);
        if (x.size(2) != INPUT_SIZE || x.size(3) != INPUT_SIZE) {
            x = Resampler.resize(x, INPUT_SIZE, INPUT_SIZE, Resampler.Kernel.BILINEAR);
        }
        Map<String, INDArray> out = g.sd.output(Map.of(IMAGES, x), "pool", "logits");
        return new Outputs(out.get("pool"), out.get("logits"));
    }

    private long c(int width) {
        return width / div;
    }

    private void build() {
        SameDiff sd = g.sd;
        SDVariable x = sd.placeHolder(IMAGES, DataType.FLOAT, -1, 3, INPUT_SIZE, INPUT_SIZE);
        x = x.mul(g.scalar(2.0)).sub(g.scalar(1.0));
        x = basic(x, "Conv2d_1a_3x3", 3, c(32), 3, 3, 2, 0, 0);
        x = basic(x, "Conv2d_2a_3x3", c(32), c(32), 3, 3, 1, 0, 0);
        x = basic(x, "Conv2d_2b_3x3", c(32), c(64), 3, 3, 1, 1, 1);
        x = maxPool(x, 2, 0);
        x = basic(x, "Conv2d_3b_1x1", c(64), c(80), 1, 1, 1, 0, 0);
        x = basic(x, "Conv2d_4a_3x3", c(80), c(192), 3, 3, 1, 0, 0);
        x = maxPool(x, 2, 0);
        Branch b = new Branch(x, c(192));
        b = inceptionA(b, "Mixed_5b", c(32));
        b = inceptionA(b, "Mixed_5c", c(64));
        b = inceptionA(b, "Mixed_5d", c(64));
        b = inceptionB(b, "Mixed_6a");
        b = inceptionC(b, "Mixed_6b", c(128));
        b = inceptionC(b, "Mixed_6c", c(160));
        b = inceptionC(b, "Mixed_6d", c(160));
        b = inceptionC(b, "Mixed_6e", c(192));
        b = inceptionD(b, "Mixed_7a");
        b = inceptionE(b, "Mixed_7b", false);
        b = inceptionE(b, "Mixed_7c", true);
        SDVariable pool = b.v().mean(false, 2, 3).rename("pool");
        pool.mmul(g.linearKernel("fc", poolWidth, LOGITS)).add(g.weight("fc.bias", LOGITS)).rename("logits");
    }

    private SDVariable basic(SDVariable x, String name, long in, long out, int kH, int kW, int stride, int padH, int padW) {
        SDVariable y = g.conv(x, name + ".conv", in, out, kH, kW, stride, padH, padW, false);
        return g.sd.nn.relu(g.batchNorm(y, name + ".bn", out, BN_EPS), 0.0);
    }

    private Branch basic(Branch x, String name, long out, int kH, int kW, int stride, int padH, int padW) {
        return new Branch(basic(x.v(), name, x.channels(), out, kH, kW, stride, padH, padW), out);
    }

    private SDVariable maxPool(SDVariable x, int stride, int pad) {
        return g.sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(stride).sW(stride).pH(pad).pW(pad)
            .dH(1).dW(1).isNHWC(false).build());
    }

    /**
     * 3x3 stride-1 average pool over the pixels inside the image (count_include_pad=False). The
     * parity test pins this: counting the padding changes the pool features by about 5%.
     */
    private SDVariable avgPoolExclusive(SDVariable x) {
        return g.sd.cnn.avgPooling2d(x, Pooling2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1)
            .dH(1).dW(1).isNHWC(false).divisor(Pooling2D.Divisor.EXCLUDE_PADDING).build());
    }

    private static Branch concat(FrozenGraph g, Branch... parts) {
        SDVariable[] vs = new SDVariable[parts.length];
        long channels = 0;
        for (int i = 0; i < parts.length; i++) {
            vs[i] = parts[i].v();
            channels += parts[i].channels();
        }
        return new Branch(g.sd.concat(1, vs), channels);
    }

    private Branch inceptionA(Branch x, String n, long poolFeatures) {
        Branch b1 = basic(x, n + ".branch1x1", c(64), 1, 1, 1, 0, 0);
        Branch b5 = basic(basic(x, n + ".branch5x5_1", c(48), 1, 1, 1, 0, 0), n + ".branch5x5_2", c(64), 5, 5, 1, 2, 2);
        Branch b3 = basic(x, n + ".branch3x3dbl_1", c(64), 1, 1, 1, 0, 0);
        b3 = basic(b3, n + ".branch3x3dbl_2", c(96), 3, 3, 1, 1, 1);
        b3 = basic(b3, n + ".branch3x3dbl_3", c(96), 3, 3, 1, 1, 1);
        Branch bp = basic(new Branch(avgPoolExclusive(x.v()), x.channels()), n + ".branch_pool", poolFeatures, 1, 1, 1, 0, 0);
        return concat(g, b1, b5, b3, bp);
    }

    private Branch inceptionB(Branch x, String n) {
        Branch b3 = basic(x, n + ".branch3x3", c(384), 3, 3, 2, 0, 0);
        Branch bd = basic(x, n + ".branch3x3dbl_1", c(64), 1, 1, 1, 0, 0);
        bd = basic(bd, n + ".branch3x3dbl_2", c(96), 3, 3, 1, 1, 1);
        bd = basic(bd, n + ".branch3x3dbl_3", c(96), 3, 3, 2, 0, 0);
        return concat(g, b3, bd, new Branch(maxPool(x.v(), 2, 0), x.channels()));
    }

    private Branch inceptionC(Branch x, String n, long c7) {
        Branch b1 = basic(x, n + ".branch1x1", c(192), 1, 1, 1, 0, 0);
        Branch b7 = basic(x, n + ".branch7x7_1", c7, 1, 1, 1, 0, 0);
        b7 = basic(b7, n + ".branch7x7_2", c7, 1, 7, 1, 0, 3);
        b7 = basic(b7, n + ".branch7x7_3", c(192), 7, 1, 1, 3, 0);
        Branch bd = basic(x, n + ".branch7x7dbl_1", c7, 1, 1, 1, 0, 0);
        bd = basic(bd, n + ".branch7x7dbl_2", c7, 7, 1, 1, 3, 0);
        bd = basic(bd, n + ".branch7x7dbl_3", c7, 1, 7, 1, 0, 3);
        bd = basic(bd, n + ".branch7x7dbl_4", c7, 7, 1, 1, 3, 0);
        bd = basic(bd, n + ".branch7x7dbl_5", c(192), 1, 7, 1, 0, 3);
        Branch bp = basic(new Branch(avgPoolExclusive(x.v()), x.channels()), n + ".branch_pool", c(192), 1, 1, 1, 0, 0);
        return concat(g, b1, b7, bd, bp);
    }

    private Branch inceptionD(Branch x, String n) {
        Branch b3 = basic(basic(x, n + ".branch3x3_1", c(192), 1, 1, 1, 0, 0), n + ".branch3x3_2", c(320), 3, 3, 2, 0, 0);
        Branch b7 = basic(x, n + ".branch7x7x3_1", c(192), 1, 1, 1, 0, 0);
        b7 = basic(b7, n + ".branch7x7x3_2", c(192), 1, 7, 1, 0, 3);
        b7 = basic(b7, n + ".branch7x7x3_3", c(192), 7, 1, 1, 3, 0);
        b7 = basic(b7, n + ".branch7x7x3_4", c(192), 3, 3, 2, 0, 0);
        return concat(g, b3, b7, new Branch(maxPool(x.v(), 2, 0), x.channels()));
    }

    /**
     * Mixed_7b (E_1) average-pools its pool branch; Mixed_7c (E_2) max-pools it, a quirk of the TF
     * graph that pytorch-fid reproduces. Its input is a ReLU output, so zero padding equals -inf padding.
     */
    private Branch inceptionE(Branch x, String n, boolean maxPoolBranch) {
        Branch b1 = basic(x, n + ".branch1x1", c(320), 1, 1, 1, 0, 0);
        Branch b3 = basic(x, n + ".branch3x3_1", c(384), 1, 1, 1, 0, 0);
        b3 = concat(g, basic(b3, n + ".branch3x3_2a", c(384), 1, 3, 1, 0, 1), basic(b3, n + ".branch3x3_2b", c(384), 3, 1, 1, 1, 0));
        Branch bd = basic(x, n + ".branch3x3dbl_1", c(448), 1, 1, 1, 0, 0);
        bd = basic(bd, n + ".branch3x3dbl_2", c(384), 3, 3, 1, 1, 1);
        bd = concat(g, basic(bd, n + ".branch3x3dbl_3a", c(384), 1, 3, 1, 0, 1), basic(bd, n + ".branch3x3dbl_3b", c(384), 3, 1, 1, 1, 0));
        SDVariable pooled = maxPoolBranch ? maxPool(x.v(), 1, 1) : avgPoolExclusive(x.v());
        Branch bp = basic(new Branch(pooled, x.channels()), n + ".branch_pool", c(192), 1, 1, 1, 0, 0);
        return concat(g, b1, b3, bd, bp);
    }
}
