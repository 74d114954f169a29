package org.pmf.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.pmf.config.ConfigError;

class EmaTest {

    @Test
    void betaFollowsTheEdmScheduleWithRampUp() {
        Ema ema = new Ema(EmaConfig.paperDefaults(), 1024, Nd4j.zeros(DataType.DOUBLE, 1));
        // Ramp-up: after 100 steps of 1024 images, hl = min(500000, 100*1024*0.05 = 5120) = 5120 images.
        assertEquals(Math.pow(0.5, 1024.0 / 5120.0), ema.beta(500, 100), 1e-15);
        // Past the ramp-up (step*1024*0.05 >= 500000 from step 9766): hl = 500 kimg, beta ~ 0.99858 (pmf-method.md 4.1).
        assertEquals(Math.pow(0.5, 1024.0 / 500000.0), ema.beta(500, 10000), 1e-15);
        assertEquals(0.99858, ema.beta(500, 10000), 1e-5);
        assertEquals(Math.pow(0.5, 1024.0 / 2000000.0), ema.beta(2000, 1_000_000), 1e-15);
        assertEquals(0.0, ema.beta(1000, 0), "no images seen yet: the average is the parameters");
    }

    @Test
    void updatesEveryAverageAgainstHandComputation() {
        EmaConfig cfg = new EmaConfig(List.of(0.1, 1.0), 0.05);
        long batch = 8;
        INDArray p = Nd4j.createFromArray(1.0, -2.0, 4.0);
        Ema ema = new Ema(cfg, batch, p);
        double[] a = {1.0, -2.0, 4.0};
        double[] b = {1.0, -2.0, 4.0};
        for (long step = 1; step <= 300; step++) {
            double[] q = {Math.sin(step), step * 0.01, -1.0 / step};
            // hand computation: hl in images, ramped; beta = 0.5^(batch / hl)
            double hlA = Math.min(100.0, step * batch * 0.05);
            double hlB = Math.min(1000.0, step * batch * 0.05);
            double betaA = Math.pow(0.5, batch / hlA);
            double betaB = Math.pow(0.5, batch / hlB);
            for (int i = 0; i < 3; i++) {
                a[i] = betaA * a[i] + (1 - betaA) * q[i];
                b[i] = betaB * b[i] + (1 - betaB) * q[i];
            }
            ema.update(step, Nd4j.createFromArray(q));
        }
        double[] gotA = ema.average(0.1).toDoubleVector();
        double[] gotB = ema.average(1.0).toDoubleVector();
        for (int i = 0; i < 3; i++) {
            assertEquals(a[i], gotA[i], 1e-12);
            assertEquals(b[i], gotB[i], 1e-12);
        }
    }

    @Test
    void aConstantParameterVectorIsItsOwnAverage() {
        INDArray p = Nd4j.createFromArray(3.0f, 5.0f);
        Ema ema = new Ema(EmaConfig.paperDefaults(), 32, p);
        for (long s = 1; s <= 10; s++) {
            ema.update(s, p);
        }
        for (INDArray avg : ema.averages()) {
            assertEquals(p, avg);
        }
    }

    @Test
    void tensorsRoundTripByHalfLifeName() {
        Ema ema = new Ema(EmaConfig.paperDefaults(), 4, Nd4j.createFromArray(1.0, 2.0));
        ema.update(1, Nd4j.createFromArray(5.0, 7.0));
        ema.update(2, Nd4j.createFromArray(-1.0, 0.5));
        Map<String, INDArray> saved = ema.toTensors();
        assertEquals(List.of("ema.500", "ema.1000", "ema.2000"), List.copyOf(saved.keySet()));
        Ema restored = new Ema(EmaConfig.paperDefaults(), 4, Nd4j.zeros(DataType.DOUBLE, 2));
        restored.load(saved);
        for (double h : List.of(500.0, 1000.0, 2000.0)) {
            assertEquals(ema.average(h), restored.average(h));
        }
    }

    @Test
    void rejectsNonPositiveHalfLivesNamingTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> new EmaConfig(List.of(500.0, 0.0), 0.05));
        assertEquals("pmf.ema.half-lives-kimg", e.key());
    }
}
