/**
 * The renewal and enrollment flows: card and RA together, resumable from any interruption, reporting
 * progress step by step through {@link org.cardrenew.agent.renewal.RenewalListener}.
 */
package org.cardrenew.agent.renewal;
