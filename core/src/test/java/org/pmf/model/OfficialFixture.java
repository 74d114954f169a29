package org.pmf.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.pmf.io.Npz;

/** The official PyTorch port's parity fixtures (see the README next to them). */
final class OfficialFixture {

    static final Path DIR = Path.of("/work/shared/fixtures/pmf-official-torch");

    private OfficialFixture() {
    }

    /** Every array of one fixture file, in the file's own precision (labels are int64). */
    static Map<String, INDArray> read(String file) throws IOException {
        return Npz.read(DIR.resolve(file)).arrays();
    }
}
