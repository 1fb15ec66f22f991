package io.ordo.interop;

/** Where an orderer serves the cluster's Step service. */
enum ClusterListener {
  /** On the client port, as Fabric's test network runs its orderers. */
  SHARED,
  /** On a port of its own ({@code ORDERER_GENERAL_CLUSTER_LISTEN*} and server certificate). */
  SEPARATE
}
