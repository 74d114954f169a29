package org.pmf.sample;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;

/**
 * A built-in 5x7 pixel font for grid labels. System fonts differ between machines and are often
 * missing from cluster images (headless JREs); a fixed bitmap font makes labelled grids the same
 * bytes everywhere. Covers A-Z (lower case is drawn as upper case), digits, space and
 * {@code . , : - _ / = ( ) + % ' ?}; any other character is drawn as {@code ?}.
 */
public final class BitmapFont {

    static final int GLYPH_WIDTH = 5;
    public static final int GLYPH_HEIGHT = 7;
    /** Horizontal distance from one character to the next (glyph plus one blank column). */
    static final int ADVANCE = GLYPH_WIDTH + 1;

    // One glyph per line: the character, then its 7 rows top to bottom ('#' = ink).
    private static final String GLYPHS = """
            0 .###. #...# #..## #.#.# ##..# #...# .###.
            1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
            2 .###. #...# ....# ...#. ..#.. .#... #####
            3 ##### ...#. ..#.. ...#. ....# #...# .###.
            4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
            5 ##### #.... ####. ....# ....# #...# .###.
            6 ..##. .#... #.... ####. #...# #...# .###.
            7 ##### ....# ...#. ..#.. .#... .#... .#...
            8 .###. #...# #...# .###. #...# #...# .###.
            9 .###. #...# #...# .#### ....# ...#. .##..
            A .###. #...# #...# ##### #...# #...# #...#
            B ####. #...# #...# ####. #...# #...# ####.
            C .###. #...# #.... #.... #.... #...# .###.
            D ###.. #..#. #...# #...# #...# #..#. ###..
            E ##### #.... #.... ####. #.... #.... #####
            F ##### #.... #.... ####. #.... #.... #....
            G .###. #...# #.... #.### #...# #...# .####
            H #...# #...# #...# ##### #...# #...# #...#
            I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
            J ..### ...#. ...#. ...#. ...#. #..#. .##..
            K #...# #..#. #.#.. ##... #.#.. #..#. #...#
            L #.... #.... #.... #.... #.... #.... #####
            M #...# ##.## #.#.# #.#.# #...# #...# #...#
            N #...# #...# ##..# #.#.# #..## #...# #...#
            O .###. #...# #...# #...# #...# #...# .###.
            P ####. #...# #...# ####. #.... #.... #....
            Q .###. #...# #...# #...# #.#.# #..#. .##.#
            R ####. #...# #...# ####. #.#.. #..#. #...#
            S .#### #.... #.... .###. ....# ....# ####.
            T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
            U #...# #...# #...# #...# #...# #...# .###.
            V #...# #...# #...# #...# #...# .#.#. ..#..
            W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
            X #...# #...# .#.#. ..#.. .#.#. #...# #...#
            Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
            Z ##### ....# ...#. ..#.. .#... #.... #####
            . ..... ..... ..... ..... ..... .##.. .##..
            , ..... ..... ..... ..... .##.. ..#.. .#...
            : ..... .##.. .##.. ..... .##.. .##.. .....
            - ..... ..... ..... ##### ..... ..... .....
            _ ..... ..... ..... ..... ..... ..... #####
            / ..... ....# ...#. ..#.. .#... #.... .....
            = ..... ..... ##### ..... ##### ..... .....
            ( ...#. ..#.. .#... .#... .#... ..#.. ...#.
            ) .#... ..#.. ...#. ...#. ...#. ..#.. .#...
            + ..... ..#.. ..#.. ##### ..#.. ..#.. .....
            % ##... ##..# ...#. ..#.. .#... #..## ...##
            ' ..#.. ..#.. .#... ..... ..... ..... .....
            ? .###. #...# ....# ...#. ..#.. ..... ..#..
            """;

    private static final Map<Character, boolean[][]> FONT = parse();

    private BitmapFont() {
    }

    private static Map<Character, boolean[][]> parse() {
        Map<Character, boolean[][]> font = new HashMap<>();
        for (String line : GLYPHS.strip().split("\n")) {
            String[] parts = line.strip().split(" ");
            boolean[][] glyph = new boolean[GLYPH_HEIGHT][GLYPH_WIDTH];
            for (int y = 0; y < GLYPH_HEIGHT; y++) {
                for (int x = 0; x < GLYPH_WIDTH; x++) {
                    glyph[y][x] = parts[y + 1].charAt(x) == '#';
                }
            }
            font.put(parts[0].charAt(0), glyph);
        }
        font.put(' ', new boolean[GLYPH_HEIGHT][GLYPH_WIDTH]);
        return font;
    }

    /** Width in pixels of the text at the given scale (no trailing blank column). */
    public static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    /** Draws the text with its top-left corner at (x, y); pixels outside the image are skipped. */
    public static void draw(BufferedImage image, String text, int x, int y, int rgb, int scale) {
        for (int k = 0; k < text.length(); k++) {
            boolean[][] glyph = FONT.getOrDefault(Character.toUpperCase(text.charAt(k)), FONT.get('?'));
            int left = x + k * ADVANCE * scale;
            for (int gy = 0; gy < GLYPH_HEIGHT * scale; gy++) {
                for (int gx = 0; gx < GLYPH_WIDTH * scale; gx++) {
                    int px = left + gx;
                    int py = y + gy;
                    if (glyph[gy / scale][gx / scale] && px >= 0 && py >= 0
                            && px < image.getWidth() && py < image.getHeight()) {
                        image.setRGB(px, py, rgb);
                    }
                }
            }
        }
    }
}
