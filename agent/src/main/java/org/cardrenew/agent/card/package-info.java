/**
 * The card library: a PKCS#11 token found by label, PIN login with distinct outcomes, holder certificates,
 * on-card key generation, CSRs, install, verify and delete. Used by the CLI and, later, the loopback bridge.
 */
package org.cardrenew.agent.card;
