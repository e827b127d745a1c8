/**
 * The holder's renewal pages (issue 3): Thymeleaf templates plus plain JavaScript modules that talk to the
 * holder's local card bridge ({@code cardrenew agent}); the bridge runs the renewal against this server's
 * RA API. Security headers for pages live here too (CSP without inline script, connect-src to the bridge).
 */
package org.cardrenew.server.web.pages;
