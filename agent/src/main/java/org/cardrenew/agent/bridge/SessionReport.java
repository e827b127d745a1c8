package org.cardrenew.agent.bridge;

import org.cardrenew.agent.renewal.RenewalStep;
import org.cardrenew.agent.report.RenewalReport;
import org.cardrenew.agent.report.StatusReport;

/**
 * A renewal session as the page polls it: never the renewal token, never a PIN.
 *
 * @param version grows with every change, for the page's long poll ({@code ?after=version})
 * @param status  the RA's status answer, once known
 * @param result  how the renewal ended, once it did without a failure
 * @param error   why it failed or was cancelled
 */
record SessionReport(
        String id,
        String token,
        SessionState state,
        RenewalStep step,
        long version,
        StatusReport status,
        RenewalReport result,
        BridgeError error) {}
