/**
 * Certificate-expiry defence, beyond Fabric: {@link io.ordo.orderer.expiry.CertificateExpiries}
 * knows when the TLS certificates of every consenter of this node's channels and this node's own
 * enrollment certificate stop being valid, and exposes it as Ordo's metric {@code
 * consensus_etcdraft_cert_expiry_days}, as a {@code /healthz} warning inside {@code
 * General.Cluster.CertExpirationWarningThreshold} (a failed check once expired) and as the {@code
 * certificates} part of the admin API's detailed channel view ({@link
 * io.ordo.orderer.expiry.CertificateDetail}); {@link io.ordo.orderer.expiry.ExpiryWarnings} logs a
 * WARN per certificate inside the threshold at start and once a day. Depends on ordo-fabric (the
 * consenters' PEM certificates), {@code admin} (the detail's interface), {@code ops} (health
 * checks, channel log fields) and Micrometer.
 */
package io.ordo.orderer.expiry;
