package org.pmf.eval;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.pmf.io.Npz;
import org.pmf.io.NpzArchive;

/** The npz fixtures written by core/src/test/python/eval_fixtures.py. */
final class EvalFixture {

    private EvalFixture() {
    }

    static NpzArchive load(String file) {
        URL url = EvalFixture.class.getResource("/eval/" + file);
        if (url == null) {
            throw new IllegalStateException("fixture " + file + " missing: run /usr/bin/python3 core/src/test/python/eval_fixtures.py");
        }
        try {
            return Npz.read(Path.of(url.toURI()));
        } catch (URISyntaxException | java.io.IOException e) {
            throw new IllegalStateException("cannot read fixture " + file, e);
        }
    }
}
