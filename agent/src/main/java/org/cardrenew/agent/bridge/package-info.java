/**
 * The loopback card bridge for the browser ({@code cardrenew agent}): a JDK HttpServer on 127.0.0.1 that
 * answers only allow-listed Origins and runs the resumable {@link org.cardrenew.agent.renewal.RenewalFlow}
 * against the RA of the calling page's origin, step by step, so the page shows progress and asks for the
 * second PIN. See docs/AGENT.md.
 */
package org.cardrenew.agent.bridge;
