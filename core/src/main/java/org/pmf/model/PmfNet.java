package org.pmf.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.nn.Buffers;
import org.pmf.nn.ParamSet;
import org.pmf.nn.Rope2d;

/**
 * The pixel MeanFlow network (official pmfDiT, pmf-method.md section 3): bottleneck patch
 * embedding, 20 in-context condition tokens, learned positions and 2-D RoPE, a shared trunk of
 * pre-norm blocks, and two x-prediction heads (u and the auxiliary v) of equal depth. It maps
 * noisy patches z and the conditions (label, omega, t_min, t_max, h = t - r) to denoised patches
 * x_hat in the same [B, L, p*p*3] layout. t itself enters only through the x-to-u conversion, which
 * lives outside the network.
 *
 * <h2>Use in a training step</h2>
 * <pre>
 *   PmfNet net = PmfNet.create(config, DataType.FLOAT, true, seed);
 *   // guidance targets (no gradient): v-head only, at h = 0
 *   guide = net.forward(inputsAtH0, Heads.V, guide);          // guide.xHatV()
 *   // JVP pass: primal of both heads plus the u-head tangent along (zDot, dh = 1)
 *   jvp = net.forward(inputs, Heads.BOTH, jvp);                // jvp.xHatU(), jvp.xHatV()
 *   INDArray xuDot = net.tangentU(jvp, zDot, PmfNet.ones(batch));
 *   // ... the losses give dL/dx_hat_u and dL/dx_hat_v ...
 *   net.params().zeroGrads();
 *   net.backward(jvp, dXu, dXv);                               // adds into net.params().grads()
 * </pre>
 * A {@link Pass} holds every activation of one call, so several passes can be alive in one step;
 * the network itself holds no per-call state. Passing the previous step's pass back as the
 * {@code recycled} argument reuses its arrays (no allocation once shapes are stable); its outputs
 * are then overwritten, so copy anything that must outlive it. One network is meant for one
 * thread: backward calls add into its single gradient vector.
 */
public final class PmfNet {

    public static final int CLASS_TOKENS = 8;
    public static final int OMEGA_TOKENS = 4;
    public static final int INTERVAL_TOKENS = 2;
    public static final int TIME_TOKENS = 4;
    /** Condition tokens in front of the patch tokens: 8 + 4 + 2 + 2 + 4. */
    public static final int PREFIX_TOKENS = CLASS_TOKENS + OMEGA_TOKENS + 2 * INTERVAL_TOKENS + TIME_TOKENS;
    public static final double NORM_EPS = 1e-6;
    public static final double ROPE_THETA = 10000.0;
    /** Block linears are drawn N(0, (0.32 / sqrt(fan_in))^2), i.e. variance about 0.1 / fan_in. */
    static final double BLOCK_INIT = 0.32;

    /** The activations of one forward call, its outputs, and what its tangent and backward need. */
    public static final class Pass {
        private final Heads heads;
        private final long batch;
        private final Arena arena;
        final PatchEmbed.Trace embed;
        final ConditionSequence.Trace sequence;
        final List<TransformerBlock.Trace> trunk;
        final List<TransformerBlock.Trace> uBlocks;
        final List<TransformerBlock.Trace> vBlocks;
        final FinalLayer.Trace uFinal;
        final FinalLayer.Trace vFinal;

        Pass(Heads heads, long batch, Arena arena, PatchEmbed.Trace embed, ConditionSequence.Trace sequence,
             List<TransformerBlock.Trace> trunk, List<TransformerBlock.Trace> uBlocks, List<TransformerBlock.Trace> vBlocks,
             FinalLayer.Trace uFinal, FinalLayer.Trace vFinal) {
            this.heads = heads;
            this.batch = batch;
            this.arena = arena;
            this.embed = embed;
            this.sequence = sequence;
            this.trunk = trunk;
            this.uBlocks = uBlocks;
            this.vBlocks = vBlocks;
            this.uFinal = uFinal;
            this.vFinal = vFinal;
        }

        public Heads heads() {
            return heads;
        }

        public long batch() {
            return batch;
        }

        /** The u-head's x_hat [B, L, p*p*3]; fails if the pass did not evaluate the u-head. */
        public INDArray xHatU() {
            if (uFinal == null) {
                throw new IllegalStateException("this pass evaluated heads " + heads + ", not the u-head");
            }
            return uFinal.output;
        }

        /** The v-head's x_hat [B, L, p*p*3]; fails if the pass did not evaluate the v-head. */
        public INDArray xHatV() {
            if (vFinal == null) {
                throw new IllegalStateException("this pass evaluated heads " + heads + ", not the v-head");
            }
            return vFinal.output;
        }
    }

    /** The buffers of a pass's three phases, handed from a recycled pass to the next. */
    private static final class Arena {
        final Buffers forward = new Buffers();
        final Buffers tangent = new Buffers();
        final Buffers backward = new Buffers();
    }

    private final PmfNetConfig config;
    private final boolean withVHead;
    private final ParamSet params;
    private final PatchEmbed embed;
    private final ConditionSequence sequence;
    private final List<TransformerBlock> trunk = new ArrayList<>();
    private final List<TransformerBlock> uBlocks = new ArrayList<>();
    private final List<TransformerBlock> vBlocks = new ArrayList<>();
    private final FinalLayer uFinal;
    private final FinalLayer vFinal;

    private PmfNet(PmfNetConfig c, DataType dataType, boolean withVHead, long seed, ParamSet sharedValues) {
        this.config = c;
        this.withVHead = withVHead;
        ParamSet.Builder b = new ParamSet.Builder(dataType);
        Rope2d rope = new Rope2d(PREFIX_TOKENS, c.grid(), c.heads(), c.headDim(), ROPE_THETA, dataType);
        this.embed = new PatchEmbed(b, c);
        this.sequence = new ConditionSequence(b, c);
        for (int i = 0; i < c.trunkDepth(); i++) {
            trunk.add(new TransformerBlock(b, "shared_blocks." + i, c, rope));
        }
        for (int i = 0; i < c.headDepth(); i++) {
            uBlocks.add(new TransformerBlock(b, "u_heads." + i, c, rope));
        }
        if (withVHead) {
            for (int i = 0; i < c.headDepth(); i++) {
                vBlocks.add(new TransformerBlock(b, "v_heads." + i, c, rope));
            }
        }
        this.uFinal = new FinalLayer(b, "u_final_layer", c);
        this.vFinal = withVHead ? new FinalLayer(b, "v_final_layer", c) : null;
        this.params = sharedValues == null ? b.build(seed) : b.buildSharing(sharedValues);
    }

    /**
     * A freshly initialised network (pmf-method.md 3.2.6).
     *
     * @param dataType  FLOAT for training and inference, DOUBLE for gradient checks
     * @param withVHead false for an inference model (no auxiliary v-head parameters at all)
     */
    public static PmfNet create(PmfNetConfig config, DataType dataType, boolean withVHead, long seed) {
        return new PmfNet(config, dataType, withVHead, seed, null);
    }

    /** A freshly initialised float32 network, the precision of training and inference. */
    public static PmfNet create(PmfNetConfig config, boolean withVHead, long seed) {
        return new PmfNet(config, DataType.FLOAT, withVHead, seed, null);
    }

    /**
     * A network that reads this one's weights (the same memory: updates are seen at once) and has
     * gradients and passes of its own, so that several threads can each run a share of a batch.
     */
    public PmfNet replica() {
        return new PmfNet(config, params.dataType(), withVHead, 0, params);
    }

    public PmfNetConfig config() {
        return config;
    }

    public boolean hasVHead() {
        return withVHead;
    }

    /** Every parameter in one flat vector, with one flat gradient vector. */
    public ParamSet params() {
        return params;
    }

    /** Runs the trunk once and the requested heads; the returned pass feeds {@link #tangentU} and {@link #backward}. */
    public Pass forward(PmfInputs in, Heads heads) {
        return forward(in, heads, null);
    }

    /**
     * As {@link #forward(PmfInputs, Heads)}, but writing into the arrays of {@code recycled} (a
     * finished pass of this network, or null): a training loop that recycles its passes step after
     * step allocates nothing once shapes are stable. Every array of {@code recycled}, including its
     * outputs, tangent and input gradient, is overwritten; do not use it afterwards.
     */
    public Pass forward(PmfInputs in, Heads heads, Pass recycled) {
        if (heads.v() && !withVHead) {
            throw new IllegalStateException("heads " + heads + " requested, but this network was built without the v-head");
        }
        checkPatches(in.patches(), "patches");
        long b = in.batch();
        Arena arena = recycled == null ? new Arena() : recycled.arena;
        Buffers buf = arena.forward;
        buf.rewind();
        PatchEmbed.Trace e = embed.forward(in.patches().reshape('c', b * config.patches(), config.patchDim()), buf);
        ConditionSequence.Trace s = sequence.forward(e.output, in, buf);
        List<TransformerBlock.Trace> trunkTr = run(trunk, s.output, buf);
        INDArray shared = trunkTr.isEmpty() ? s.output : trunkTr.get(trunkTr.size() - 1).output;
        List<TransformerBlock.Trace> uTr = heads.u() ? run(uBlocks, shared, buf) : List.of();
        List<TransformerBlock.Trace> vTr = heads.v() ? run(vBlocks, shared, buf) : List.of();
        FinalLayer.Trace uOut = heads.u() ? uFinal.forward(last(uTr, shared), b, buf) : null;
        FinalLayer.Trace vOut = heads.v() ? vFinal.forward(last(vTr, shared), b, buf) : null;
        return new Pass(heads, b, arena, e, s, trunkTr, uTr, vTr, uOut, vOut);
    }

    /**
     * Tangent of the u-head's x_hat along a tangent of the patches and of h (forward mode, exact).
     * The training step's JVP uses zDot = the predicted velocity and hDot = 1 (dt = 1, dr = 0).
     *
     * @param zDot [B, L, p*p*3]
     * @param hDot per-example tangent of h
     * @return [B, L, p*p*3], valid until the next tangentU on this pass or until the pass is recycled
     */
    public INDArray tangentU(Pass pass, INDArray zDot, double[] hDot) {
        if (!pass.heads.u()) {
            throw new IllegalStateException("the pass evaluated heads " + pass.heads + "; the u tangent needs the u-head");
        }
        checkPatches(zDot, "zDot");
        if (hDot.length != pass.batch || zDot.size(0) != pass.batch) {
            throw new IllegalArgumentException("tangent batch (zDot " + zDot.size(0) + ", hDot " + hDot.length
                + ") differs from the pass batch " + pass.batch);
        }
        long b = pass.batch;
        Buffers buf = pass.arena.tangent;
        buf.rewind();
        INDArray dot = sequence.tangent(pass.sequence,
            embed.tangent(zDot.reshape('c', b * config.patches(), config.patchDim()), buf), hDot, buf);
        for (int i = 0; i < trunk.size(); i++) {
            dot = trunk.get(i).tangent(pass.trunk.get(i), dot, buf);
        }
        for (int i = 0; i < uBlocks.size(); i++) {
            dot = uBlocks.get(i).tangent(pass.uBlocks.get(i), dot, buf);
        }
        return uFinal.tangent(pass.uFinal, dot, b, buf);
    }

    /**
     * Reverse mode: adds the gradient of L into {@link ParamSet#grads()} given dL/dx_hat_u and
     * dL/dx_hat_v (either may be null when that head's loss is absent; a head the pass did not
     * evaluate must be null). Gradients accumulate, so call {@link ParamSet#zeroGrads()} per step.
     *
     * @return dL/dz [B, L, p*p*3], valid until the next backward on this pass or until the pass is recycled
     */
    public INDArray backward(Pass pass, INDArray dXHatU, INDArray dXHatV) {
        if (dXHatU != null && !pass.heads.u() || dXHatV != null && !pass.heads.v()) {
            throw new IllegalStateException("gradient given for a head the pass (" + pass.heads + ") did not evaluate");
        }
        long b = pass.batch;
        Buffers buf = pass.arena.backward;
        buf.rewind();
        INDArray dShared = null;
        if (dXHatU != null) {
            checkPatches(dXHatU, "dXHatU");
            dShared = backHead(uBlocks, pass.uBlocks, uFinal.backward(pass.uFinal, dXHatU, b, buf), buf);
        }
        if (dXHatV != null) {
            checkPatches(dXHatV, "dXHatV");
            INDArray dv = backHead(vBlocks, pass.vBlocks, vFinal.backward(pass.vFinal, dXHatV, b, buf), buf);
            dShared = dShared == null ? dv : dShared.addi(dv);
        }
        if (dShared == null) {
            throw new IllegalArgumentException("backward needs dXHatU or dXHatV");
        }
        INDArray d = backHead(trunk, pass.trunk, dShared, buf);
        INDArray dPatchTokens = sequence.backward(pass.sequence, d, buf);
        return embed.backward(pass.embed, dPatchTokens, buf).reshape('c', b, config.patches(), config.patchDim());
    }

    /** An array of ones, the hDot of the training step's JVP. */
    public static double[] ones(int n) {
        double[] o = new double[n];
        java.util.Arrays.fill(o, 1.0);
        return o;
    }

    private static List<TransformerBlock.Trace> run(List<TransformerBlock> blocks, INDArray x, Buffers buf) {
        List<TransformerBlock.Trace> out = new ArrayList<>(blocks.size());
        for (TransformerBlock block : blocks) {
            TransformerBlock.Trace t = block.forward(x, buf);
            out.add(t);
            x = t.output;
        }
        return out;
    }

    private static INDArray last(List<TransformerBlock.Trace> traces, INDArray input) {
        return traces.isEmpty() ? input : traces.get(traces.size() - 1).output;
    }

    private static INDArray backHead(List<TransformerBlock> blocks, List<TransformerBlock.Trace> traces, INDArray d, Buffers buf) {
        for (int i = blocks.size() - 1; i >= 0; i--) {
            d = blocks.get(i).backward(traces.get(i), d, buf);
        }
        return d;
    }

    private void checkPatches(INDArray x, String what) {
        if (x.rank() != 3 || x.size(1) != config.patches() || x.size(2) != config.patchDim()) {
            throw new IllegalArgumentException(what + " must be [B, " + config.patches() + ", " + config.patchDim()
                + "] for " + config.imageSize() + " px images with patch " + config.patchSize() + ", got "
                + java.util.Arrays.toString(x.shape()));
        }
        if (x.dataType() != params.dataType()) {
            throw new IllegalArgumentException(what + " is " + x.dataType() + " but the network is " + params.dataType());
        }
    }
}
