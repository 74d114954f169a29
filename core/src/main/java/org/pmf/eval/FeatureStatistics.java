package org.pmf.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.io.Npz;
import org.pmf.io.NpzArchive;

/**
 * Mean [d] and covariance [d, d] of a set of feature vectors, in double precision: what a Frechet
 * distance compares. The covariance is unbiased (divides by n - 1), as numpy's {@code np.cov} used by
 * pytorch-fid and the ADM evaluation suite. Stored as ADM-style npz with arrays {@code mu} and {@code sigma}.
 */
public record FeatureStatistics(INDArray mu, INDArray sigma, long count) {

    public FeatureStatistics {
        if (mu.rank() != 1 || sigma.rank() != 2 || sigma.size(0) != mu.length() || sigma.size(1) != mu.length()) {
            throw new IllegalArgumentException("feature statistics need mu [d] and sigma [d, d], got mu "
                + Arrays.toString(mu.shape()) + " and sigma " + Arrays.toString(sigma.shape()));
        }
    }

    public long dimension() {
        return mu.length();
    }

    /** Statistics of the rows of {@code features} [n, d], n >= 2. */
    public static FeatureStatistics of(INDArray features) {
        Accumulator acc = new Accumulator(features.rank() == 2 ? features.size(1) : -1);
        acc.add(features);
        return acc.result();
    }

    /**
     * Reads ADM-style reference statistics: an npz with {@code mu} [d] and {@code sigma} [d, d]
     * (any float dtype; the count is unknown there and reported as -1).
     */
    public static FeatureStatistics readNpz(Path file) throws IOException {
        NpzArchive npz = Npz.read(file);
        for (String key : new String[] {"mu", "sigma"}) {
            if (!npz.contains(key)) {
                throw new IOException(file + ": reference statistics need arrays 'mu' and 'sigma', found " + npz.arrays().keySet());
            }
        }
        INDArray mu = npz.get("mu").castTo(DataType.DOUBLE);
        INDArray sigma = npz.get("sigma").castTo(DataType.DOUBLE);
        if (mu.rank() != 1 || sigma.rank() != 2 || sigma.size(0) != mu.length() || sigma.size(1) != mu.length()) {
            throw new IOException(file + ": 'mu' must be [d] and 'sigma' [d, d], got mu " + Arrays.toString(mu.shape())
                + " and sigma " + Arrays.toString(sigma.shape()));
        }
        return new FeatureStatistics(mu, sigma, -1);
    }

    /** Writes {@code mu} and {@code sigma} (float64) as an npz that the ADM / pytorch-fid tools read. */
    public void writeNpz(Path file) throws IOException {
        Npz.write(file, Map.of("mu", mu, "sigma", sigma), false);
    }

    /**
     * Sums over batches of feature rows. Rows are shifted by the first batch's mean before the sums of
     * products are taken, so the covariance does not lose digits to a large common mean.
     */
    public static final class Accumulator {

        private long dim;
        private INDArray shift;
        private INDArray sum;
        private INDArray gram;
        private long count;

        /** {@code dimension} of the features, or -1 to take it from the first batch. */
        public Accumulator(long dimension) {
            this.dim = dimension;
        }

        /** Adds the rows of {@code features} [n, d]. */
        public void add(INDArray features) {
            if (features.rank() != 2 || (dim >= 0 && features.size(1) != dim)) {
                throw new IllegalArgumentException("features must be [n, " + (dim >= 0 ? dim : "d") + "], got "
                    + Arrays.toString(features.shape()));
            }
            if (features.size(0) == 0) {
                return;
            }
            INDArray x = features.castTo(DataType.DOUBLE);
            if (shift == null) {
                dim = x.size(1);
                shift = x.mean(0);
                sum = Nd4j.zeros(DataType.DOUBLE, dim);
                gram = Nd4j.zeros(DataType.DOUBLE, dim, dim);
            }
            INDArray centred = x.subRowVector(shift);
            sum.addi(centred.sum(0));
            gram.addi(centred.transpose().mmul(centred));
            count += x.size(0);
        }

        public long count() {
            return count;
        }

        public FeatureStatistics result() {
            if (count < 2) {
                throw new IllegalStateException("feature statistics need at least 2 feature vectors, got " + count);
            }
            INDArray meanShifted = sum.div(count);
            INDArray outer = meanShifted.reshape(dim, 1).mmul(meanShifted.reshape(1, dim)).muli(count);
            INDArray sigma = gram.sub(outer).divi(count - 1);
            return new FeatureStatistics(meanShifted.add(shift), sigma, count);
        }
    }
}
