package io.ordo.fabric.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider that performs ECDSA and SHA-256. Amazon Corretto Crypto Provider is preferred
 * because its native code is several times faster for P-256 verification; the JDK's own providers
 * are the fallback on platforms where ACCP's native library does not load.
 *
 * @param name a short label for logs and benchmarks ("ACCP" or "JDK")
 * @param provider the provider to pass to {@code getInstance}, or {@code null} for the JDK's
 *     default provider lookup
 */
public record CryptoProvider(String name, Provider provider) {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoProvider.class);

  /**
   * System property that, set to {@code jdk}, makes {@link #preferred()} the JDK's providers: a
   * command that signs a few things would spend longer loading ACCP's native library and running
   * its self-tests than it saves.
   */
  public static final String PROPERTY = "ordo.crypto.provider";

  public CryptoProvider {
    Objects.requireNonNull(name, "name");
  }

  /** The JDK's default providers (SunEC for ECDSA). */
  public static CryptoProvider jdk() {
    return new CryptoProvider("JDK", null);
  }

  /** ACCP, when its native library loads and passes its self-tests on this platform. */
  public static Optional<CryptoProvider> accp() {
    try {
      AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
      if (accp.getLoadingError() != null) {
        return Optional.empty();
      }
      accp.assertHealthy();
      return Optional.of(new CryptoProvider("ACCP", accp));
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  /**
   * The provider chosen once for the life of the process: ACCP when it loads, the JDK's otherwise.
   */
  public static CryptoProvider preferred() {
    return Chosen.INSTANCE;
  }

  private static final class Chosen {
    // Initialised once on first use (class-holder idiom); never changes afterwards.
    static final CryptoProvider INSTANCE = choose();

    private static CryptoProvider choose() {
      if ("jdk".equals(System.getProperty(PROPERTY))) {
        return jdk();
      }
      Optional<CryptoProvider> accp = accp();
      if (accp.isPresent()) {
        LOG.info(
            "crypto provider: Amazon Corretto Crypto Provider {}",
            accp.get().provider().getVersionStr());
        return accp.get();
      }
      Throwable why = loadingError();
      LOG.info(
          "crypto provider: JDK (Amazon Corretto Crypto Provider unavailable: {})",
          why == null ? "unhealthy" : why.toString());
      return jdk();
    }

    private static Throwable loadingError() {
      try {
        return AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
      } catch (RuntimeException | LinkageError e) {
        return e;
      }
    }
  }
}
