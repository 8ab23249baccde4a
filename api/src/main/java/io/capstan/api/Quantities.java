package io.capstan.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Kubernetes resource quantities ("100m", "1.5", "128Mi", "1G", "1e3") as whole milli-units, for arithmetic on requests. */
public final class Quantities {

    private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
            Map.entry("n", new BigDecimal("1e-9")), Map.entry("u", new BigDecimal("1e-6")), Map.entry("m", new BigDecimal("1e-3")),
            Map.entry("", BigDecimal.ONE), Map.entry("k", new BigDecimal("1e3")), Map.entry("M", new BigDecimal("1e6")),
            Map.entry("G", new BigDecimal("1e9")), Map.entry("T", new BigDecimal("1e12")), Map.entry("P", new BigDecimal("1e15")),
            Map.entry("E", new BigDecimal("1e18")),
            Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
            Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
            Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)));

    private Quantities() {}

    /** The quantity in thousandths of its unit (cpu "250m" is 250; memory "1Ki" is 1,024,000), rounded up as Kubernetes does. */
    public static long milli(String quantity) {
        if (quantity == null || quantity.isBlank()) {
            throw new IllegalArgumentException("quantity is empty");
        }
        String q = quantity.trim();
        int end = q.length();
        while (end > 0 && Character.isLetter(q.charAt(end - 1)) && !isExponent(q, end - 1)) {
            end--;
        }
        String number = q.substring(0, end);
        BigDecimal scale = SUFFIXES.get(q.substring(end));
        if (scale == null || number.isEmpty()) {
            throw new IllegalArgumentException("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
        try {
            return new BigDecimal(number).multiply(scale).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("quantity " + quantity + " is not a number Capstan can hold", e);
        }
    }

    /** The quantity in whole units, rounded up (memory bytes, pod counts). */
    public static long value(String quantity) {
        long m = milli(quantity);
        return Math.ceilDiv(m, 1000);
    }

    /** "1e3"-style exponents: an 'e' or 'E' followed by digits is part of the number, not a suffix. */
    private static boolean isExponent(String q, int i) {
        char c = q.charAt(i);
        return (c == 'e' || c == 'E') && i + 1 < q.length() && (Character.isDigit(q.charAt(i + 1)) || q.charAt(i + 1) == '-' || q.charAt(i + 1) == '+');
    }
}
