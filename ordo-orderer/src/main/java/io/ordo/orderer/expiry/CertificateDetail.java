package io.ordo.orderer.expiry;

import io.ordo.orderer.admin.ChannelDetail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code certificates} part of the admin API's detailed channel view: each certificate the
 * channel's consenters hold, when it expires and how many days it has left.
 */
public final class CertificateDetail implements ChannelDetail {
  private final CertificateExpiries expiries;

  public CertificateDetail(CertificateExpiries expiries) {
    this.expiries = expiries;
  }

  @Override
  public String key() {
    return "certificates";
  }

  @Override
  public Optional<Object> of(String channel) {
    List<ExpiringCertificate> certs = expiries.certificates(channel);
    if (certs.isEmpty()) {
      return Optional.empty();
    }
    Instant now = expiries.clock().instant();
    List<Map<String, Object>> out = new ArrayList<>();
    for (ExpiringCertificate c : certs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("consenterId", c.consenterId());
      m.put("consenter", c.consenter());
      m.put("self", c.self());
      m.put("kind", c.kind().label());
      m.put("subject", c.subject());
      m.put("notAfter", c.notAfter().toString());
      m.put("daysToExpiry", Math.floor(c.daysLeft(now) * 100) / 100);
      m.put("state", expiries.state(c).name().toLowerCase(java.util.Locale.ROOT));
      out.add(m);
    }
    return Optional.of(out);
  }
}
