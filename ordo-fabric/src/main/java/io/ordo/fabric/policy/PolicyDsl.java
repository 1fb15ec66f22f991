package io.ordo.fabric.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * Compiles Fabric's signature policy language ({@code OR('Org1MSP.admin', AND('A.member',
 * 'B.peer'))}, {@code OutOf(2, ...)}) to a SignaturePolicyEnvelope: version 0, principals
 * de-duplicated in order of first appearance, OR = 1-of-n, AND = n-of-n.
 */
public final class PolicyDsl {
  private final String text;
  private int pos;
  private final List<MSPPrincipal> principals = new ArrayList<>();

  private PolicyDsl(String text) {
    this.text = text;
  }

  public static SignaturePolicyEnvelope compile(String text) {
    PolicyDsl p = new PolicyDsl(text);
    SignaturePolicy rule = p.expression();
    p.skipSpaces();
    if (p.pos != text.length()) {
      throw p.error("unexpected text");
    }
    return SignaturePolicyEnvelope.newBuilder()
        .setVersion(0)
        .setRule(rule)
        .addAllIdentities(p.principals)
        .build();
  }

  private SignaturePolicy expression() {
    skipSpaces();
    if (peek() == '\'' || peek() == '"') {
      return principal();
    }
    int start = pos;
    while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
      pos++;
    }
    String op = text.substring(start, pos).toLowerCase(Locale.ROOT);
    expect('(');
    int n = -1;
    if (op.equals("outof")) {
      skipSpaces();
      int numStart = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (numStart == pos) {
        throw error("OutOf needs a number first");
      }
      n = Integer.parseInt(text.substring(numStart, pos));
      expect(',');
    } else if (!op.equals("or") && !op.equals("and")) {
      throw error("unknown operator '" + op + "'");
    }
    List<SignaturePolicy> rules = new ArrayList<>();
    rules.add(expression());
    skipSpaces();
    while (peek() == ',') {
      pos++;
      rules.add(expression());
      skipSpaces();
    }
    expect(')');
    int threshold = op.equals("or") ? 1 : op.equals("and") ? rules.size() : n;
    return SignaturePolicy.newBuilder()
        .setNOutOf(SignaturePolicy.NOutOf.newBuilder().setN(threshold).addAllRules(rules))
        .build();
  }

  private SignaturePolicy principal() {
    char quote = text.charAt(pos++);
    int end = text.indexOf(quote, pos);
    if (end < 0) {
      throw error("unterminated principal");
    }
    String value = text.substring(pos, end);
    pos = end + 1;
    int dot = value.lastIndexOf('.');
    if (dot <= 0) {
      throw error("principal '" + value + "' is not MSPID.role");
    }
    MSPRole.MSPRoleType role =
        switch (value.substring(dot + 1)) {
          case "member" -> MSPRole.MSPRoleType.MEMBER;
          case "admin" -> MSPRole.MSPRoleType.ADMIN;
          case "client" -> MSPRole.MSPRoleType.CLIENT;
          case "peer" -> MSPRole.MSPRoleType.PEER;
          case "orderer" -> MSPRole.MSPRoleType.ORDERER;
          default -> throw error("unknown role in '" + value + "'");
        };
    MSPPrincipal principal =
        MSPPrincipal.newBuilder()
            .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
            .setPrincipal(
                MSPRole.newBuilder()
                    .setMspIdentifier(value.substring(0, dot))
                    .setRole(role)
                    .build()
                    .toByteString())
            .build();
    int index = principals.indexOf(principal);
    if (index < 0) {
      principals.add(principal);
      index = principals.size() - 1;
    }
    return SignaturePolicy.newBuilder().setSignedBy(index).build();
  }

  private void expect(char c) {
    skipSpaces();
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String why) {
    return new IllegalArgumentException("policy '" + text + "' at " + pos + ": " + why);
  }
}
