package org.pmf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesNestedValuesKeepingKeyOrder() {
        Object v = Json.parse(" {\"z\": [1, -2, 3.5e2], \"a\": {\"t\": true, \"f\": false, \"n\": null}, \"s\": \"x\\u00e9\\n\\\"\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("z", "a", "s"), List.copyOf(m.keySet()));
        assertEquals(List.of(1L, -2L, 350.0), m.get("z"));
        Map<?, ?> a = (Map<?, ?>) m.get("a");
        assertEquals(true, a.get("t"));
        assertEquals(false, a.get("f"));
        assertTrue(a.containsKey("n"));
        assertNull(a.get("n"));
        assertEquals("x\u00e9\n\"", m.get("s"));
    }

    @Test
    void quoteRoundTripsThroughParse() {
        String s = "tab\there \"q\" back\\slash \u0001 ✓";
        assertEquals(s, Json.parse(Json.quote(s)));
    }

    @Test
    void syntaxErrorsSayWhatAndWhere() {
        Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse("{\"a\": 1,}"));
        assertTrue(e.getMessage().contains("at character 8"), e.getMessage());
        assertThrows(Json.SyntaxError.class, () -> Json.parse("{\"a\": 1} x"));
        assertThrows(Json.SyntaxError.class, () -> Json.parse("[1, 2"));
        assertThrows(Json.SyntaxError.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"));
        assertThrows(Json.SyntaxError.class, () -> Json.parse("\"bad \\q escape\""));
    }
}
