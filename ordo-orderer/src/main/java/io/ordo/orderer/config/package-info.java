/**
 * The orderer's local configuration: orderer.yaml in Fabric v3.0's layout, the {@code ORDERER_*}
 * environment overrides, Fabric's defaults, and the checks that stop start-up on an unknown key, a
 * missing file or a bad value. {@link io.ordo.orderer.config.LocalConfigLoader} produces an
 * immutable {@link io.ordo.orderer.config.LocalConfig}.
 */
package io.ordo.orderer.config;
