package org.pmf.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Our network, loaded with the official PyTorch port's fixture weights, reproduces the port's
 * outputs (both heads) and the u-head JVP, in float32 and in float64. Intermediates are compared
 * first so a failure names the first stage that differs.
 */
class OfficialParityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT, '', 1e-4", "DOUBLE, 64, 1e-9"})
    void matchesTheOfficialPortOnBothHeadsAndTheUHeadJvp(String type, String suffix, double tol) throws IOException {
        DataType dt = DataType.valueOf(type);
        Map<String, INDArray> in = OfficialFixture.read("inputs" + suffix + ".npz");
        Map<String, INDArray> out = OfficialFixture.read("outputs" + suffix + ".npz");
        Map<String, INDArray> jvp = OfficialFixture.read("jvp" + suffix + ".npz");
        Map<String, INDArray> mid = OfficialFixture.read("intermediates" + suffix + ".npz");
        PmfNet net = PmfNet.create(PmfNetConfig.preset("tiny"), dt, true, 0);
        OfficialWeights.load(net, OfficialFixture.read("weights" + suffix + ".npz"));

        INDArray z = OfficialLayout.imagesToPatches(in.get("z"), 4);
        PmfInputs inputs = new PmfInputs(z, OfficialLayout.labels(in.get("y")), in.get("omega").toDoubleVector(),
            in.get("t_min").toDoubleVector(), in.get("t_max").toDoubleVector(), in.get("h").toDoubleVector());
        PmfNet.Pass pass = net.forward(inputs, Heads.BOTH);

        int b = 4;
        assertClose("seq_in", mid.get("seq_in"), pass.sequence.output.reshape(b, 84, 64), tol);
        assertClose("shared_blocks.0_out", mid.get("shared_blocks.0_out"), pass.trunk.get(0).output.reshape(b, 84, 64), tol);
        assertClose("shared_blocks.1_out", mid.get("shared_blocks.1_out"), pass.trunk.get(1).output.reshape(b, 84, 64), tol);
        assertClose("u_heads.1_out", mid.get("u_heads.1_out"), pass.uBlocks.get(1).output.reshape(b, 84, 64), tol);
        assertClose("v_heads.1_out", mid.get("v_heads.1_out"), pass.vBlocks.get(1).output.reshape(b, 84, 64), tol);
        assertClose("u_tokens", out.get("u_tokens"), pass.xHatU(), tol);
        assertClose("v_tokens", out.get("v_tokens"), pass.xHatV(), tol);
        assertClose("x_hat_u (image)", out.get("x_hat_u"), OfficialLayout.patchesToImages(pass.xHatU(), 4, 32), tol);

        // u = (z - x_hat_u) / max(t, 0.05) and its tangent along (tangent_z, dt = 1, dr = 0).
        double[] t = in.get("t").toDoubleVector();
        INDArray zDot = OfficialLayout.imagesToPatches(jvp.get("tangent_z"), 4);
        INDArray xuDot = net.tangentU(pass, zDot, PmfNet.ones(b));
        INDArray u = z.sub(pass.xHatU());
        INDArray du = zDot.sub(xuDot);
        for (int i = 0; i < b; i++) {
            double d = Math.max(t[i], 0.05);
            double dDot = t[i] > 0.05 ? 1 : 0;
            INDArray ui = u.slice(i);
            INDArray dui = du.slice(i);
            dui.divi(d).subi(ui.mul(dDot / (d * d)));
            ui.divi(d);
        }
        assertClose("u", OfficialLayout.imagesToPatches(jvp.get("u"), 4), u, tol);
        assertClose("du_dt", OfficialLayout.imagesToPatches(jvp.get("du_dt"), 4), du, tol);
    }

    static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(e.shape());
        double scale = e.amaxNumber().doubleValue();
        double err = e.sub(a).amaxNumber().doubleValue() / scale;
        assertTrue(err <= tol, what + ": max |diff| / max |expected| = " + err + " > " + tol);
    }
}
