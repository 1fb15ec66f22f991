/**
 * The tool server: one resident JVM per user, jar and JDK that runs the short commands ({@code
 * genesis}, {@code crypto generate}, {@code channel ...}, {@code version}) for {@code bin/ordo},
 * which would otherwise start a JVM for each. {@code bin/ordo} speaks {@link
 * io.ordo.cli.toolserver.ToolProtocol} to it over 127.0.0.1 with nothing but bash; each request
 * runs on its own thread with the client's folder, environment and arguments, its output sent back
 * to the client's stdout and stderr.
 */
package io.ordo.cli.toolserver;
