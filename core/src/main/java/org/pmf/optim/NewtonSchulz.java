package org.pmf.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Muon's approximate orthogonalisation: maps a matrix G = U S V^T to roughly U S' V^T with every
 * singular value S'_ii pushed into a band around 1, using only matrix products.
 *
 * <p>Follows {@code orthogonalize_via_newton_schulz} of optax.contrib ({@code optax/contrib/_muon.py}):
 * a wide-or-square orientation (for a matrix with more rows than columns the iteration runs on the
 * transpose, so the Gram matrix A = X X^T is the smaller one; {@link NewtonSchulzBatch} does this
 * without copying), normalisation by the
 * Frobenius norm plus eps (which bounds the spectral norm by 1), then {@code steps} quintic steps
 * X <- a X + (b A + c A^2) X. With optax's (3.4445, -4.7750, 2.0315) the iteration does not converge
 * to exactly 1; each singular value s (relative to the Frobenius norm) is mapped through the 5-fold
 * iterate of p(s) = a s + b s^3 + c s^5, whose range over [2e-3, 1] is [0.682, 1.202] (evaluated on a
 * fine grid). So every singular value that is at least 2e-3 of the Frobenius norm ends in
 * [0.68, 1.21]; NewtonSchulzTest checks this on random matrices of several wide, tall and square
 * shapes. Smaller singular values are amplified by at most a^5 ~ 490 and can stay below the band:
 * that is the iteration's design (optax's docstring: "something like U S' V^T where S'_ii ~ U(0.5, 1.5)").
 */
public final class NewtonSchulz {

    private NewtonSchulz() {
    }

    /** A new array: the orthogonalised {@code g} (g itself is not modified). */
    public static INDArray orthogonalize(INDArray g, OptimizerConfig.NsCoefficients k, int steps, double eps) {
        if (g.rank() != 2) {
            throw new IllegalArgumentException("Newton-Schulz needs a matrix, got shape " + java.util.Arrays.toString(g.shape()));
        }
        NewtonSchulzBatch one = new NewtonSchulzBatch(1, g.rows(), g.columns(), g.dataType(), k, steps, eps);
        one.input(0).assign(g);
        one.run();
        return one.output(0).dup('c');
    }
}
