package io.capstan.cli; /** Entry point. */ public final class Main { public static void main(String[] a) {} }
