package org.pmf.perceptual;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One npz fixture written by core/src/test/python/perceptual_fixtures.py: reference inputs and
 * outputs plus the random weights under the names our loaders expect.
 */
public final class Fixture {

    private final String name;
    private final Map<String, INDArray> arrays;

    private Fixture(String name, Map<String, INDArray> arrays) {
        this.name = name;
        this.arrays = arrays;
    }

    public static Fixture load(String file) {
        URL url = Fixture.class.getResource("/perceptual/" + file);
        if (url == null) {
            throw new IllegalStateException("fixture " + file + " missing: run /usr/bin/python3 core/src/test/python/perceptual_fixtures.py");
        }
        try {
            return new Fixture(file, Nd4j.createFromNpzFile(new File(url.toURI())));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read fixture " + file, e);
        }
    }

    public INDArray get(String key) {
        INDArray a = arrays.get(key);
        if (a == null) {
            throw new IllegalStateException("fixture " + name + " has no array " + key);
        }
        return a;
    }

    /** Every array except the named non-weight entries, as a weights file. */
    public NamedWeights weightsWithout(Set<String> notWeights) {
        return NamedWeights.of(name, weightMap(notWeights));
    }

    public Map<String, INDArray> weightMap(Set<String> notWeights) {
        Map<String, INDArray> w = new LinkedHashMap<>(arrays);
        w.keySet().removeAll(notWeights);
        return w;
    }

    /** Largest |a - b| relative to the largest |b|. */
    public static double relativeError(INDArray actual, INDArray expected) {
        double scale = expected.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).amaxNumber().doubleValue();
        double diff = actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
            .sub(expected.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).amaxNumber().doubleValue();
        return diff / Math.max(scale, 1e-30);
    }
}
