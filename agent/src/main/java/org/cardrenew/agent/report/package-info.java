/**
 * What the agent reports about a card and a renewal, one record per answer, serialised by Jackson for both the
 * bridge's page and {@code cardrenew --json}: one shape of each answer, wherever it is read.
 */
package org.cardrenew.agent.report;
