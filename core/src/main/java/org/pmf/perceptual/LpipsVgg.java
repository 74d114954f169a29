package org.pmf.perceptual;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * LPIPS with VGG16 features (Zhang et al. 2018, the {@code lpips} package's default "vgg" net):
 * the fixed input scaling, VGG16's conv stack up to relu5_3, each of the five taps (relu1_2, relu2_2,
 * relu3_3, relu4_3, relu5_3) normalised to unit length over channels, squared difference, a
 * non-negative 1x1 "lin" layer to one channel, spatial mean, sum over taps.
 *
 * <p>Weight names: {@code vgg.features.<i>.weight/bias} with torchvision's {@code features} indices,
 * and {@code lpips.lin<k>.weight} [1, C_k, 1, 1]. {@code widthDivisor} divides every VGG width
 * (1 for the real network; tests use small random versions).
 */
public final class LpipsVgg {

    private static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512};
    /** Indices (in torchvision's features) of the ReLUs LPIPS taps. */
    private static final int[] TAPS = {3, 8, 15, 22, 29};
    private static final double[] SHIFT = {-.030, -.088, -.188};
    private static final double[] SCALE = {.458, .448, .450};
    /**
     * Added under the square root of the channel norm so its gradient stays finite where a ReLU
     * tap is zero in every channel (the value changes by far less than fp32 resolution).
     */
    private static final double NORM_FLOOR = 1e-20;
    private static final double UNIT_EPS = 1e-10;

    private LpipsVgg() {
    }

    public static PerceptualDistance load(NamedWeights weights, int widthDivisor, DataType type) {
        for (int c : VGG16) {
            if (c % widthDivisor != 0) {
                throw new IllegalArgumentException("LPIPS width divisor " + widthDivisor + " must divide every VGG16 width (64 ... 512)");
            }
        }
        return new DistanceGraph("lpips", weights, type, (g, pred, target) -> build(g, pred, target, widthDivisor));
    }

    private static SDVariable build(FrozenGraph g, SDVariable pred, SDVariable target, int div) {
        SDVariable shift = g.perChannel(SHIFT);
        SDVariable scale = g.perChannel(SCALE);
        List<SDVariable> a = taps(g, pred.sub(shift).div(scale), div);
        List<SDVariable> b = taps(g, target.sub(shift).div(scale), div);
        SDVariable total = null;
        for (int k = 0; k < a.size(); k++) {
            SDVariable diff = unit(g, a.get(k)).sub(unit(g, b.get(k)));
            long channels = tapWidth(k, div);
            SDVariable lin = g.conv(diff.mul(diff), "lpips.lin" + k, channels, 1, 1, 1, 1, 0, 0, false);
            SDVariable term = lin.mean(false, 1, 2, 3);
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    private static long tapWidth(int k, int div) {
        int[] widths = {64, 128, 256, 512, 512};
        return widths[k] / div;
    }

    private static List<SDVariable> taps(FrozenGraph g, SDVariable x, int div) {
        List<SDVariable> taps = new ArrayList<>();
        long in = 3;
        int index = 0;
        for (int c : VGG16) {
            if (c == 0) {
                x = g.sd.cnn.maxPooling2d(x, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0)
                    .dH(1).dW(1).isNHWC(false).build());
                index += 1;
            } else {
                long out = c / div;
                x = g.sd.nn.relu(g.conv(x, "vgg.features." + index, in, out, 3, 3, 1, 1, 1, true), 0.0);
                in = out;
                index += 2;
                if (index - 1 == TAPS[taps.size()]) {
                    taps.add(x);
                }
            }
        }
        return taps;
    }

    private static SDVariable unit(FrozenGraph g, SDVariable x) {
        SDVariable norm = g.sd.math.sqrt(x.mul(x).sum(true, 1).add(g.scalar(NORM_FLOOR)));
        return x.div(norm.add(g.scalar(UNIT_EPS)));
    }
}
