"""Reference values for org.pmf.eval's Frechet distance and k-NN precision/recall tests.

Run with Debian's python3-numpy and python3-scipy from the repository root:
    /usr/bin/python3 core/src/test/python/eval_fixtures.py
It writes core/src/test/resources/eval/*.npz. The Frechet distance is computed exactly as
pytorch-fid's calculate_frechet_distance (scipy.linalg.sqrtm of sigma1 @ sigma2, with its
offset retry and imaginary-part check); precision/recall by brute force as in
Kynkaanniemi et al.'s reference code (squared distances, radius = k-th neighbour other than self).
"""
import os

import numpy as np
from scipy import linalg

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "eval")


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean, _ = linalg.sqrtm(sigma1.dot(sigma2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError("imaginary component %s" % np.max(np.abs(covmean.imag)))
        covmean = covmean.real
    return diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)


def stats(features):
    return np.mean(features, axis=0), np.cov(features, rowvar=False)


def squared_distances(a, b):
    return ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)


def coverage(manifold, query, k):
    d_self = squared_distances(manifold, manifold)
    np.fill_diagonal(d_self, np.inf)
    radii = np.sort(d_self, axis=1)[:, k - 1]
    return float((squared_distances(query, manifold) <= radii[None, :]).any(axis=1).mean())


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20260122)

    # Small sets with correlated, non-commuting covariances and a large common mean.
    d = 24
    mix_a = rng.normal(size=(d, d)) / np.sqrt(d)
    mix_b = rng.normal(size=(d, d)) / np.sqrt(d) + 0.3 * np.eye(d)
    a = rng.normal(size=(150, d)) @ mix_a + 5.0
    b = rng.normal(size=(220, d)) @ mix_b + 5.0 + 0.2 * rng.normal(size=d)
    mu_a, sigma_a = stats(a)
    mu_b, sigma_b = stats(b)
    np.savez(os.path.join(OUT, "frechet_small.npz"),
             features_a=a, features_b=b, mu_a=mu_a, sigma_a=sigma_a, mu_b=mu_b, sigma_b=sigma_b,
             fd=np.array(frechet_distance(mu_a, sigma_a, mu_b, sigma_b)))

    # 2048-d covariances (Inception pool width) as diagonal plus low rank, stored as factors.
    d, r = 2048, 12
    u1 = rng.normal(size=(d, r)) * 0.3
    u2 = rng.normal(size=(d, r)) * 0.3
    diag1 = rng.uniform(0.05, 0.4, size=d)
    diag2 = rng.uniform(0.05, 0.4, size=d)
    mu1 = rng.uniform(0, 1, size=d)
    mu2 = mu1 + 0.05 * rng.normal(size=d)
    s1 = u1 @ u1.T + np.diag(diag1)
    s2 = u2 @ u2.T + np.diag(diag2)
    np.savez(os.path.join(OUT, "frechet_2048.npz"),
             u1=u1, u2=u2, diag1=diag1, diag2=diag2, mu1=mu1, mu2=mu2,
             fd=np.array(frechet_distance(mu1, s1, mu2, s2)))

    # Precision / recall with k = 3 on overlapping clouds.
    real = rng.normal(size=(300, 8))
    generated = 0.7 * rng.normal(size=(250, 8)) + 0.6
    np.savez(os.path.join(OUT, "precision_recall.npz"),
             real=real, generated=generated,
             precision=np.array(coverage(real, generated, 3)),
             recall=np.array(coverage(generated, real, 3)))


if __name__ == "__main__":
    main()
