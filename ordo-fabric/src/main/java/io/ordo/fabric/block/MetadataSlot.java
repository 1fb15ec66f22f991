package io.ordo.fabric.block;

/** The slots of BlockMetadata.metadata, in Fabric's BlockMetadataIndex order. */
public enum MetadataSlot {
  SIGNATURES,
  LAST_CONFIG,
  TRANSACTIONS_FILTER,
  ORDERER,
  COMMIT_HASH;

  /** Fabric writes every slot, empty when unused. */
  public static final int COUNT = values().length;

  public int index() {
    return ordinal();
  }
}
