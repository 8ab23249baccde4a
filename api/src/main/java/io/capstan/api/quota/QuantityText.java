package io.capstan.api.quota;

/** Milli-unit amounts written back as Kubernetes quantities ("500m", "1", "128Mi") for quota and limit messages. */
public final class QuantityText {

    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private QuantityText() {}

    /** The shortest exact form: milli-units when fractional, a binary suffix when the bytes divide evenly, else the number. */
    public static String of(long milli) {
        if (milli % 1000 != 0) {
            return milli + "m";
        }
        long value = milli / 1000;
        String suffix = "";
        for (int i = 0; value != 0 && value % 1024 == 0 && i < BINARY.length; i++) {
            value /= 1024;
            suffix = BINARY[i];
        }
        return value + suffix;
    }
}
