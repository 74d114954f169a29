package org.pmf.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChamferDistanceTest {

    @Test
    void identicalSetsAreAtZero() {
        double[] a = {0, 0, 1, 2, -3, 0.5};
        assertEquals(0, ChamferDistance.distance(a, a.clone()));
    }

    @Test
    void eachSideAveragesItsPointsDistancesToTheNearestPointOfTheOther() {
        double[] a = {0, 0};
        double[] b = {3, 4, 0, 1};
        assertEquals(2, ChamferDistance.nearest(0, 0, b), "(0, 1) is the nearest to the origin");
        assertEquals(1, ChamferDistance.oneWay(a, b), 1e-15);
        assertEquals((5 + 1) / 2.0, ChamferDistance.oneWay(b, a), 1e-15);
        assertEquals((1 + 3) / 2.0, ChamferDistance.distance(a, b), 1e-15, "a collapsed set is penalised by the coverage term");
    }

    @Test
    void emptyOrOddSetsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChamferDistance.distance(new double[0], new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> ChamferDistance.distance(new double[] {1, 2, 3}, new double[] {1, 2}));
    }
}
