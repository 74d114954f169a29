package org.pmf.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.pmf.nn.Buffers;
import org.pmf.nn.Initializer;
import org.pmf.nn.Param;
import org.pmf.nn.ParamSet;

/**
 * Builds the token sequence [class x8 | omega x4 | t_min x2 | t_max x2 | h x4 | patches] plus the
 * learned absolute positions. Each condition group is a set of learned tokens with that
 * condition's embedding added to every token of the group. Rows of the result are [B*T, D].
 */
final class ConditionSequence {

    static final class Trace {
        final INDArray output;
        final int[] labels;
        final ScalarEmbedder.Trace omega;
        final ScalarEmbedder.Trace tMin;
        final ScalarEmbedder.Trace tMax;
        final ScalarEmbedder.Trace h;

        Trace(INDArray output, int[] labels, ScalarEmbedder.Trace omega, ScalarEmbedder.Trace tMin,
              ScalarEmbedder.Trace tMax, ScalarEmbedder.Trace h) {
            this.output = output;
            this.labels = labels;
            this.omega = omega;
            this.tMin = tMin;
            this.tMax = tMax;
            this.h = h;
        }
    }

    // Token offsets of each group in the sequence (official order).
    static final int CLASS_AT = 0;
    static final int OMEGA_AT = CLASS_AT + PmfNet.CLASS_TOKENS;
    static final int TMIN_AT = OMEGA_AT + PmfNet.OMEGA_TOKENS;
    static final int TMAX_AT = TMIN_AT + PmfNet.INTERVAL_TOKENS;
    static final int TIME_AT = TMAX_AT + PmfNet.INTERVAL_TOKENS;

    private final Param timeTokens;
    private final Param classTokens;
    private final Param omegaTokens;
    private final Param tMinTokens;
    private final Param tMaxTokens;
    private final Param posEmbed;
    private final ScalarEmbedder hEmbedder;
    private final ScalarEmbedder omegaEmbedder;
    private final ScalarEmbedder tMinEmbedder;
    private final ScalarEmbedder tMaxEmbedder;
    private final Param labelTable;
    private final int hidden;
    private final int tokens;
    private final int numClasses;

    ConditionSequence(ParamSet.Builder params, PmfNetConfig c) {
        this.hidden = c.hidden();
        this.tokens = c.tokens();
        this.numClasses = c.numClasses();
        Initializer tokenInit = Initializer.normal(0, 1 / Math.sqrt(c.hidden()));
        this.timeTokens = params.add("time_tokens", new long[] {PmfNet.TIME_TOKENS, hidden}, Param.Role.OTHER, tokenInit);
        this.classTokens = params.add("class_tokens", new long[] {PmfNet.CLASS_TOKENS, hidden}, Param.Role.OTHER, tokenInit);
        this.omegaTokens = params.add("omega_tokens", new long[] {PmfNet.OMEGA_TOKENS, hidden}, Param.Role.OTHER, tokenInit);
        this.tMinTokens = params.add("t_min_tokens", new long[] {PmfNet.INTERVAL_TOKENS, hidden}, Param.Role.OTHER, tokenInit);
        this.tMaxTokens = params.add("t_max_tokens", new long[] {PmfNet.INTERVAL_TOKENS, hidden}, Param.Role.OTHER, tokenInit);
        this.posEmbed = params.add("pos_embed", new long[] {tokens, hidden}, Param.Role.OTHER, Initializer.normal(0, 0.02));
        this.hEmbedder = new ScalarEmbedder(params, "h_embedder", hidden);
        this.omegaEmbedder = new ScalarEmbedder(params, "omega_embedder", hidden);
        this.tMinEmbedder = new ScalarEmbedder(params, "cfg_t_start_embedder", hidden);
        this.tMaxEmbedder = new ScalarEmbedder(params, "cfg_t_end_embedder", hidden);
        // The label table is a 2-D array in the torch port but 3-D in JAX, hence AdamW (pmf-method.md 4.3).
        this.labelTable = params.add("y_embedder.embedding_table.weight", new long[] {numClasses + 1, hidden},
            Param.Role.OTHER, Initializer.normal(0, 1 / Math.sqrt(hidden)));
    }

    /** patchTokens [B*L, D] and the conditions to the sequence [B*T, D]. */
    Trace forward(INDArray patchTokens, PmfInputs in, Buffers buf) {
        int b = in.batch();
        for (int i = 0; i < b; i++) {
            if (in.labels()[i] < 0 || in.labels()[i] > numClasses) {
                throw new IllegalArgumentException("labels[" + i + "] = " + in.labels()[i] + " is outside [0, " + numClasses
                    + "] (" + numClasses + " is the null class)");
            }
        }
        double[] omegaScalar = new double[b];
        for (int i = 0; i < b; i++) {
            omegaScalar[i] = 1 - 1 / in.omega()[i];
        }
        ScalarEmbedder.Trace om = omegaEmbedder.forward(omegaScalar, patchTokens.dataType());
        ScalarEmbedder.Trace lo = tMinEmbedder.forward(in.tMin(), patchTokens.dataType());
        ScalarEmbedder.Trace hi = tMaxEmbedder.forward(in.tMax(), patchTokens.dataType());
        ScalarEmbedder.Trace h = hEmbedder.forward(in.h(), patchTokens.dataType());
        INDArray labelRows = Nd4j.pullRows(labelTable.value(), 1, in.labels());

        INDArray seq = buf.get(patchTokens.dataType(), b, (long) tokens * hidden).assign(0);
        seq.addiRowVector(constantRow());
        tokenRange(seq, PmfNet.PREFIX_TOKENS, tokens).addi(patchTokens.reshape('c', b, (long) (tokens - PmfNet.PREFIX_TOKENS) * hidden));
        addToGroup(seq, CLASS_AT, PmfNet.CLASS_TOKENS, labelRows);
        addToGroup(seq, OMEGA_AT, PmfNet.OMEGA_TOKENS, om.output);
        addToGroup(seq, TMIN_AT, PmfNet.INTERVAL_TOKENS, lo.output);
        addToGroup(seq, TMAX_AT, PmfNet.INTERVAL_TOKENS, hi.output);
        addToGroup(seq, TIME_AT, PmfNet.TIME_TOKENS, h.output);
        return new Trace(seq.reshape('c', (long) b * tokens, hidden), in.labels().clone(), om, lo, hi, h);
    }

    /** Tangent of the sequence along patch-token tangents and tangents of h (the other conditions are held fixed). */
    INDArray tangent(Trace tr, INDArray patchTokensDot, double[] hDot, Buffers buf) {
        int b = tr.labels.length;
        INDArray seqDot = buf.get(patchTokensDot.dataType(), b, (long) tokens * hidden).assign(0);
        tokenRange(seqDot, PmfNet.PREFIX_TOKENS, tokens)
            .assign(patchTokensDot.reshape('c', b, (long) (tokens - PmfNet.PREFIX_TOKENS) * hidden));
        if (hDot != null) {
            addToGroup(seqDot, TIME_AT, PmfNet.TIME_TOKENS, hEmbedder.tangent(tr.h, hDot));
        }
        return seqDot.reshape('c', (long) b * tokens, hidden);
    }

    /** Accumulates every condition parameter's gradient and returns dL/dpatchTokens [B*L, D]. */
    INDArray backward(Trace tr, INDArray dSeq, Buffers buf) {
        int b = tr.labels.length;
        INDArray d = dSeq.reshape('c', b, (long) tokens * hidden);
        INDArray perPosition = d.sum(0).reshape('c', tokens, hidden);
        posEmbed.grad().addi(perPosition);
        classTokens.grad().addi(rows(perPosition, CLASS_AT, PmfNet.CLASS_TOKENS));
        omegaTokens.grad().addi(rows(perPosition, OMEGA_AT, PmfNet.OMEGA_TOKENS));
        tMinTokens.grad().addi(rows(perPosition, TMIN_AT, PmfNet.INTERVAL_TOKENS));
        tMaxTokens.grad().addi(rows(perPosition, TMAX_AT, PmfNet.INTERVAL_TOKENS));
        timeTokens.grad().addi(rows(perPosition, TIME_AT, PmfNet.TIME_TOKENS));
        INDArray dLabel = groupSum(d, CLASS_AT, PmfNet.CLASS_TOKENS);
        for (int i = 0; i < b; i++) {
            labelTable.grad().getRow(tr.labels[i]).addi(dLabel.getRow(i));
        }
        omegaEmbedder.backward(tr.omega, groupSum(d, OMEGA_AT, PmfNet.OMEGA_TOKENS));
        tMinEmbedder.backward(tr.tMin, groupSum(d, TMIN_AT, PmfNet.INTERVAL_TOKENS));
        tMaxEmbedder.backward(tr.tMax, groupSum(d, TMAX_AT, PmfNet.INTERVAL_TOKENS));
        hEmbedder.backward(tr.h, groupSum(d, TIME_AT, PmfNet.TIME_TOKENS));
        INDArray dPatch = buf.get(dSeq.dataType(), b, (long) (tokens - PmfNet.PREFIX_TOKENS) * hidden);
        return dPatch.assign(tokenRange(d, PmfNet.PREFIX_TOKENS, tokens)).reshape('c', (long) b * (tokens - PmfNet.PREFIX_TOKENS), hidden);
    }

    /** Positions plus the learned condition tokens, as one row of T*D values. */
    private INDArray constantRow() {
        INDArray row = posEmbed.value().dup('c');
        rows(row, CLASS_AT, PmfNet.CLASS_TOKENS).addi(classTokens.value());
        rows(row, OMEGA_AT, PmfNet.OMEGA_TOKENS).addi(omegaTokens.value());
        rows(row, TMIN_AT, PmfNet.INTERVAL_TOKENS).addi(tMinTokens.value());
        rows(row, TMAX_AT, PmfNet.INTERVAL_TOKENS).addi(tMaxTokens.value());
        rows(row, TIME_AT, PmfNet.TIME_TOKENS).addi(timeTokens.value());
        return row.reshape(new long[] {(long) tokens * hidden});
    }

    private static INDArray rows(INDArray perPosition, int from, int count) {
        return perPosition.get(NDArrayIndex.interval(from, from + count), NDArrayIndex.all());
    }

    /** Columns of tokens [from, to) of a [B, T*D] array. */
    private INDArray tokenRange(INDArray seq, int from, int to) {
        return seq.get(NDArrayIndex.all(), NDArrayIndex.interval((long) from * hidden, (long) to * hidden));
    }

    private void addToGroup(INDArray seq, int from, int count, INDArray embedding) {
        for (int j = from; j < from + count; j++) {
            tokenRange(seq, j, j + 1).addi(embedding);
        }
    }

    private INDArray groupSum(INDArray d, int from, int count) {
        INDArray sum = tokenRange(d, from, from + 1).dup('c');
        for (int j = from + 1; j < from + count; j++) {
            sum.addi(tokenRange(d, j, j + 1));
        }
        return sum;
    }
}
