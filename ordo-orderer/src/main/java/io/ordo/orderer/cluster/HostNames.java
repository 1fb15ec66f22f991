package io.ordo.orderer.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * RFC 6125 host name matching against a certificate's subject alternative names: DNS names, exact
 * or with one leading wildcard label, and IP addresses. Like Go's TLS client, the subject's common
 * name is not consulted.
 */
final class HostNames {
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;

  private HostNames() {}

  static boolean matches(X509Certificate cert, String host) {
    Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (names == null) {
      return false;
    }
    boolean ip = isIpLiteral(host);
    for (List<?> name : names) {
      int type = (Integer) name.get(0);
      String value = String.valueOf(name.get(1));
      if (ip && type == IP_ADDRESS && sameAddress(value, host)) {
        return true;
      }
      if (!ip && type == DNS_NAME && dnsMatches(value, host)) {
        return true;
      }
    }
    return false;
  }

  private static boolean dnsMatches(String pattern, String host) {
    String p = pattern.toLowerCase(Locale.ROOT);
    String h = stripDot(host.toLowerCase(Locale.ROOT));
    if (!p.startsWith("*.")) {
      return stripDot(p).equals(h);
    }
    int dot = h.indexOf('.');
    return dot > 0 && h.substring(dot).equals(stripDot(p.substring(1)));
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  private static boolean sameAddress(String a, String b) {
    try {
      // both are literals: no name resolution happens
      return InetAddress.getByName(a)
          .equals(InetAddress.getByName(b.replace("[", "").replace("]", "")));
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
