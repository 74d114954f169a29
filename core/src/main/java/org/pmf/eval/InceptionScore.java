package org.pmf.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inception Score (Salimans et al. 2016) from Inception logits: softmax over all 1008 outputs (as the
 * original TF evaluation code), samples split in order into {@code splits} consecutive groups
 * (group i holds samples [i N / splits, (i + 1) N / splits)), score per group
 * exp(mean_x KL(p(y|x) || p(y))), reported as mean and standard deviation over groups.
 *
 * <p>Streaming: per group it keeps only the sum of p(y|x) and the sum of p log p, using
 * mean_x KL = mean_x sum_y p log p - sum_y p(y) log p(y); so 50,000 samples need no 50,000 x 1008 array.
 * Everything is accumulated in double precision.
 */
public final class InceptionScore {

    /** Mean and (population) standard deviation of the per-group scores. */
    public record Result(double mean, double std) {
    }

    private final long total;
    private final int splits;
    private final int classes;
    private final double[][] sumP;
    private final double[] sumPLogP;
    private long seen;

    /** An accumulator for exactly {@code total} samples of {@code classes}-way logits. */
    public InceptionScore(long total, int splits, int classes) {
        if (splits < 1 || total < splits || classes < 2) {
            throw new IllegalArgumentException("Inception Score needs at least one sample per split and 2 classes: total "
                + total + ", splits " + splits + ", classes " + classes);
        }
        this.total = total;
        this.splits = splits;
        this.classes = classes;
        this.sumP = new double[splits][classes];
        this.sumPLogP = new double[splits];
    }

    /** The score of all rows of {@code logits} [N, classes]. */
    public static Result of(INDArray logits, int splits) {
        InceptionScore s = new InceptionScore(logits.size(0), splits, (int) logits.size(1));
        s.add(logits);
        return s.result();
    }

    /** Adds the next samples, in order: logits [n, classes]. */
    public void add(INDArray logits) {
        if (logits.rank() != 2 || logits.size(1) != classes) {
            throw new IllegalArgumentException("logits must be [n, " + classes + "], got " + java.util.Arrays.toString(logits.shape()));
        }
        if (seen + logits.size(0) > total) {
            throw new IllegalStateException("Inception Score was set up for " + total + " samples, got more");
        }
        double[][] rows = logits.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] p = new double[classes];
        for (double[] row : rows) {
            int group = (int) (seen * splits / total);
            while ((group + 1) * total / splits <= seen) {
                group++;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double v : row) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = Math.exp(row[c] - max);
                z += p[c];
            }
            double logZ = Math.log(z);
            double plogp = 0;
            for (int c = 0; c < classes; c++) {
                double logp = row[c] - max - logZ;
                double pc = p[c] / z;
                sumP[group][c] += pc;
                plogp += pc * logp;
            }
            sumPLogP[group] += plogp;
            seen++;
        }
    }

    public Result result() {
        if (seen != total) {
            throw new IllegalStateException("Inception Score was set up for " + total + " samples, got " + seen);
        }
        double[] scores = new double[splits];
        for (int i = 0; i < splits; i++) {
            long n = (i + 1) * total / splits - i * total / splits;
            double crossEntropyTerm = 0;
            for (int c = 0; c < classes; c++) {
                double py = sumP[i][c] / n;
                if (py > 0) {
                    crossEntropyTerm += py * Math.log(py);
                }
            }
            scores[i] = Math.exp(sumPLogP[i] / n - crossEntropyTerm);
        }
        double mean = 0;
        for (double s : scores) {
            mean += s / splits;
        }
        double var = 0;
        for (double s : scores) {
            var += (s - mean) * (s - mean) / splits;
        }
        return new Result(mean, Math.sqrt(var));
    }
}
