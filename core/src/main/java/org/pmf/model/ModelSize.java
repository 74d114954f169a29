package org.pmf.model;

/**
 * Parameter count and multiply-accumulates of a configuration, from its shapes alone (nothing is
 * allocated, so the paper-size models can be accounted for on any machine). MACs count the matrix
 * products of one forward of one image: patch embedding, condition embedders, per block the
 * q/k/v/out projections, the SwiGLU and the two attention products (QK^T and PV, T^2 * D each),
 * and the final layer; norms, softmax and element-wise work are not counted. The paper's "Gflops"
 * are these MACs on the inference model (trunk + u-head, no v-head).
 */
public final class ModelSize {

    private ModelSize() {
    }

    /** Parameters of the inference network (no v-head), or of the training network (with it). */
    public static long parameters(PmfNetConfig c, boolean withVHead) {
        long d = c.hidden();
        long p = c.patchDim();
        long embed = p * c.bottleneck() + c.bottleneck() + (long) c.bottleneck() * d + d;
        long tokens = (long) PmfNet.PREFIX_TOKENS * d + (long) c.tokens() * d;
        long scalarEmbedders = 4 * (ScalarEmbedder.FREQUENCIES * d + d + d * d + d);
        long labels = (long) (c.numClasses() + 1) * d;
        long heads = c.headDepth() * blockParameters(c) + finalLayerParameters(c);
        long total = embed + tokens + scalarEmbedders + labels + c.trunkDepth() * blockParameters(c) + heads;
        return withVHead ? total + heads : total;
    }

    public static long blockParameters(PmfNetConfig c) {
        long d = c.hidden();
        return 4 * d + 4 * d * d + 2L * c.headDim() + 3 * d * c.swigluHidden();
    }

    private static long finalLayerParameters(PmfNetConfig c) {
        long d = c.hidden();
        return d + d * c.patchDim() + c.patchDim();
    }

    /** Multiply-accumulates of one forward of one image through the trunk and the u-head (the inference model). */
    public static long inferenceMacs(PmfNetConfig c) {
        return sharedMacs(c) + c.headDepth() * blockMacs(c) + finalLayerMacs(c);
    }

    /** Multiply-accumulates of one forward of one image through the trunk and both heads (the training primal). */
    public static long bothHeadsMacs(PmfNetConfig c) {
        return inferenceMacs(c) + c.headDepth() * blockMacs(c) + finalLayerMacs(c);
    }

    private static long sharedMacs(PmfNetConfig c) {
        long d = c.hidden();
        long embed = (long) c.patches() * (c.patchDim() * (long) c.bottleneck() + c.bottleneck() * d);
        long embedders = 4 * (ScalarEmbedder.FREQUENCIES * d + d * d);
        return embed + embedders + c.trunkDepth() * blockMacs(c);
    }

    public static long blockMacs(PmfNetConfig c) {
        long d = c.hidden();
        long t = c.tokens();
        return t * (4 * d * d + 3 * d * c.swigluHidden()) + 2 * t * t * d;
    }

    private static long finalLayerMacs(PmfNetConfig c) {
        return (long) c.patches() * c.hidden() * c.patchDim();
    }
}
