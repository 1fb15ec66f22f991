package io.ordo.orderer.server;

import io.ordo.fabric.channelconfig.ChannelConfig;
import io.ordo.fabric.channelconfig.RaftConsenter;
import io.ordo.fabric.crypto.Pem;
import io.ordo.orderer.cluster.TlsIdentity;
import io.ordo.orderer.config.LocalConfigException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates this node's TLS certificates without a restart: after every config block it re-reads the
 * key and certificate files orderer.yaml names, and switches to a new certificate once a channel
 * config names it as a consenter certificate (so the other consenters pin it from the same block
 * on). A new certificate that no config names yet is left on disk until one does.
 */
final class TlsReloader {
  private static final Logger log = LoggerFactory.getLogger(TlsReloader.class);

  /**
   * One TLS identity of the node and the files it comes from.
   *
   * @param keyName the orderer.yaml key of the private key file, for messages
   */
  record Slot(
      String keyName,
      Optional<Path> keyFile,
      String certName,
      Optional<Path> certFile,
      Supplier<TlsIdentity> current,
      Consumer<TlsIdentity> replace) {}

  private final List<Slot> slots;

  TlsReloader(List<Slot> slots) {
    this.slots = List.copyOf(slots);
  }

  /** Called with every channel's config after each config block. */
  void reload(Map<String, ChannelConfig> configs) {
    for (Slot slot : slots) {
      TlsIdentity next;
      try {
        next = TlsFiles.identity(slot.keyName(), slot.keyFile(), slot.certName(), slot.certFile());
      } catch (LocalConfigException e) {
        log.warn("cannot re-read {}: {}", slot.certName(), e.getMessage());
        continue;
      }
      TlsIdentity current = slot.current().get();
      if (next.leaf().equals(current.leaf())) {
        continue;
      }
      if (!namedByAConsenter(next.leaf(), configs)) {
        log.info(
            "{} changed on disk to {}; waiting for a config that names it",
            slot.certName(),
            next.leaf().getSubjectX500Principal());
        continue;
      }
      slot.replace().accept(next);
      log.info(
          "{} rotated: now presenting {} (serial {})",
          slot.certName(),
          next.leaf().getSubjectX500Principal(),
          next.leaf().getSerialNumber());
    }
  }

  private static boolean namedByAConsenter(
      X509Certificate cert, Map<String, ChannelConfig> configs) {
    byte[] key = cert.getPublicKey().getEncoded();
    List<byte[]> pems = new ArrayList<>();
    for (ChannelConfig c : configs.values()) {
      c.orderer()
          .etcdRaft()
          .ifPresent(
              r -> {
                for (RaftConsenter consenter : r.consenters()) {
                  pems.add(consenter.serverTlsCert());
                  pems.add(consenter.clientTlsCert());
                }
              });
    }
    for (byte[] pem : pems) {
      try {
        if (Arrays.equals(key, Pem.certificate(pem).getPublicKey().getEncoded())) {
          return true;
        }
      } catch (Pem.PemException e) {
        // a config with an unreadable certificate names nobody
      }
    }
    return false;
  }
}
