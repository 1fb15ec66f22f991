/**
 * The {@code ordo} command line: the root command, the run's context (environment, terminal or
 * not), and how failures become one line on stderr and an exit code. The tools themselves live in
 * the sub-packages; they use ordo-fabric and nothing of the other Ordo modules.
 */
package io.ordo.cli;
