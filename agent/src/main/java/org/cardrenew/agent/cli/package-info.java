/** The {@code cardrenew} command line: status, renew, enroll; exit codes in {@link org.cardrenew.agent.cli.ExitCode}. */
package org.cardrenew.agent.cli;
