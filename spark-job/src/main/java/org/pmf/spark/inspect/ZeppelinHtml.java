package org.pmf.spark.inspect;

import java.util.Base64;
import java.util.List;

/**
 * Images as Zeppelin {@code %html} output, inlined as data URIs: a notebook's interpreter may run
 * on a cluster node whose files the browser cannot reach.
 */
public final class ZeppelinHtml {

    private ZeppelinHtml() {
    }

    /** One PNG with a caption. */
    public static String image(byte[] png, String caption) {
        return "%html " + figure(png, caption);
    }

    /** PNGs side by side, each with its caption (e.g. the same classes at two checkpoints). */
    public static String sideBySide(List<byte[]> pngs, List<String> captions) {
        if (pngs.size() != captions.size()) {
            throw new IllegalArgumentException(pngs.size() + " images but " + captions.size() + " captions");
        }
        StringBuilder b = new StringBuilder("%html <div style=\"display:flex;gap:16px;align-items:flex-start\">");
        for (int i = 0; i < pngs.size(); i++) {
            b.append(figure(pngs.get(i), captions.get(i)));
        }
        return b.append("</div>").toString();
    }

    private static String figure(byte[] png, String caption) {
        return "<figure style=\"margin:0\"><img style=\"image-rendering:pixelated\" src=\"data:image/png;base64,"
            + Base64.getEncoder().encodeToString(png) + "\"/><figcaption>" + escape(caption) + "</figcaption></figure>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
