/**
 * {@code ordo crypto}: cryptogen's commands over ordo-fabric's {@code cryptogen} package (reading
 * crypto-config.yaml, writing cryptogen's folder layout).
 */
package io.ordo.cli.crypto;
