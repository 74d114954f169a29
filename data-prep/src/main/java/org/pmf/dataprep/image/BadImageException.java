package org.pmf.dataprep.image;

/** An input that is not a usable image; the message is the reason listed in the bad-input report. */
public final class BadImageException extends Exception {

    public BadImageException(String reason) {
        super(reason);
    }

    public BadImageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
