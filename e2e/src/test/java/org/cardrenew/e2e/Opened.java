package org.cardrenew.e2e;

/** What a test class opened in its set-up, closed again in its tear-down. */
final class Opened {

    private Opened() {}

    /**
     * Closes each in this order, skipping what was never opened (a set-up that failed half-way); all are closed even
     * when one fails, and the first failure is thrown afterwards.
     */
    static void closeAll(AutoCloseable... opened) throws Exception {
        Exception first = null;
        for (AutoCloseable each : opened) {
            if (each == null) {
                continue;
            }
            try {
                each.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
