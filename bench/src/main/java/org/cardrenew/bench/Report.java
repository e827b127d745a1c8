package org.cardrenew.bench;

import java.io.PrintStream;

/** The readable report: sections of aligned "label: value" lines. */
final class Report {

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void title(String text) {
        out.println(text);
        out.println("=".repeat(text.length()));
    }

    void section(String text) {
        out.println();
        out.println(text);
    }

    void line(String label, String value) {
        out.printf("  %-22s: %s%n", label, value);
        out.flush();
    }

    void item(String text) {
        out.println("    " + text);
    }
}
