package io.ordo.fabric.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;

/**
 * configtxlator's JSON back to messages, as {@code configtxlator proto_encode} does: every bytes
 * field that {@link FabricJson} shows as a decoded message (an object) is encoded from it, by the
 * same rules (a config value by its key, a policy by its type, a payload by its header's type,
 * ...); a bytes field given as base64 text is taken as it is; {@code null} for a bytes field is
 * empty bytes. Map entries keep the order of the JSON object, so that decoding bytes and encoding
 * the JSON gives back the same bytes.
 */
public final class FabricJsonEncoder {
  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonFormat.Parser parser = JsonFormat.parser();

  /** {@code proto_encode --type common.Block}. */
  public Block block(JsonNode json) {
    return parse(flatBlock(copy(json)), Block::newBuilder, "common.Block");
  }

  /** {@code proto_encode --type common.Config}. */
  public Config config(JsonNode json) {
    return parse(flatConfig(copy(json)), Config::newBuilder, "common.Config");
  }

  /** {@code proto_encode --type common.ConfigEnvelope}. */
  public ConfigEnvelope configEnvelope(JsonNode json) {
    return parse(
        flatConfigEnvelope(copy(json)), ConfigEnvelope::newBuilder, "common.ConfigEnvelope");
  }

  /** {@code proto_encode --type common.ConfigUpdate}. */
  public ConfigUpdate configUpdate(JsonNode json) {
    return parse(flatConfigUpdate(copy(json)), ConfigUpdate::newBuilder, "common.ConfigUpdate");
  }

  /** {@code proto_encode --type common.ConfigUpdateEnvelope}. */
  public ConfigUpdateEnvelope configUpdateEnvelope(JsonNode json) {
    return parse(
        flatConfigUpdateEnvelope(copy(json)),
        ConfigUpdateEnvelope::newBuilder,
        "common.ConfigUpdateEnvelope");
  }

  /** {@code proto_encode --type common.Envelope}. */
  public Envelope envelope(JsonNode json) {
    return parse(flatEnvelope(copy(json)), Envelope::newBuilder, "common.Envelope");
  }

  /** A config group as {@link FabricJson#groupJson} shows it. */
  public ConfigGroup group(JsonNode json) {
    return parse(flatGroup(copy(json)), ConfigGroup::newBuilder, "common.ConfigGroup");
  }

  /** A config value as {@link FabricJson#valueJson} shows it under {@code key}. */
  public ConfigValue value(String key, JsonNode json) {
    return parse(flatValue(key, copy(json)), ConfigValue::newBuilder, "common.ConfigValue");
  }

  /** A config policy as {@link FabricJson#policyJson} shows it. */
  public ConfigPolicy policy(JsonNode json) {
    return parse(flatConfigPolicy(copy(json)), ConfigPolicy::newBuilder, "common.ConfigPolicy");
  }

  // --- blocks and envelopes

  private ObjectNode flatBlock(ObjectNode node) {
    if (node.path("data").path("data") instanceof ArrayNode items) {
      for (int i = 0; i < items.size(); i++) {
        int index = i;
        items.set(i, encoded(items.get(i), Envelope::newBuilder, this::flatEnvelope));
        if (items.get(index).isNull()) {
          items.set(index, items.textNode(""));
        }
      }
    }
    if (node.path("metadata").path("metadata") instanceof ArrayNode slots && !slots.isEmpty()) {
      slots.set(0, encoded(slots.get(0), Metadata::newBuilder, this::flatSignaturesSlot));
      if (slots.get(0).isNull()) {
        slots.set(0, slots.textNode(""));
      }
    }
    return node;
  }

  private ObjectNode flatSignaturesSlot(ObjectNode node) {
    encodeInto(node, "value", OrdererBlockMetadata::newBuilder, x -> x);
    signatureHeaders(node, "signatures");
    return node;
  }

  private void signatureHeaders(ObjectNode node, String arrayField) {
    if (node.get(arrayField) instanceof ArrayNode items) {
      for (JsonNode item : items) {
        if (item instanceof ObjectNode o) {
          encodeInto(o, "signature_header", SignatureHeader::newBuilder, this::flatSignatureHeader);
        }
      }
    }
  }

  private ObjectNode flatEnvelope(ObjectNode node) {
    encodeInto(node, "payload", Payload::newBuilder, this::flatPayload);
    return node;
  }

  private ObjectNode flatPayload(ObjectNode node) {
    if (!(node.get("header") instanceof ObjectNode header)) {
      return node;
    }
    Integer type = null;
    if (header.get("channel_header") instanceof ObjectNode ch) {
      type = headerType(ch.get("type"));
      Integer chType = type;
      encodeInto(
          header, "channel_header", ChannelHeader::newBuilder, c -> flatChannelHeader(c, chType));
    }
    encodeInto(header, "signature_header", SignatureHeader::newBuilder, this::flatSignatureHeader);
    if (type == null) {
      return node;
    }
    switch (HeaderType.forNumber(type)) {
      case CONFIG -> encodeInto(node, "data", ConfigEnvelope::newBuilder, this::flatConfigEnvelope);
      case CONFIG_UPDATE ->
          encodeInto(
              node, "data", ConfigUpdateEnvelope::newBuilder, this::flatConfigUpdateEnvelope);
      case ENDORSER_TRANSACTION ->
          encodeInto(node, "data", Transaction::newBuilder, this::flatTransaction);
      case ORDERER_TRANSACTION ->
          encodeInto(node, "data", Envelope::newBuilder, this::flatEnvelope);
      case null, default -> {}
    }
    return node;
  }

  private static Integer headerType(JsonNode type) {
    if (type == null || type.isNull()) {
      return 0;
    }
    if (type.isNumber()) {
      return type.asInt();
    }
    if (type.isTextual()) {
      try {
        return Integer.parseInt(type.asText());
      } catch (NumberFormatException e) {
        HeaderType t = HeaderType.valueOf(type.asText());
        return t.getNumber();
      }
    }
    return null;
  }

  private ObjectNode flatChannelHeader(ObjectNode node, Integer type) {
    if (type != null && type == HeaderType.ENDORSER_TRANSACTION_VALUE) {
      encodeInto(node, "extension", ChaincodeHeaderExtension::newBuilder, x -> x);
    } else {
      encodeInto(node, "extension", null, x -> x);
    }
    return node;
  }

  private ObjectNode flatSignatureHeader(ObjectNode node) {
    encodeInto(node, "creator", SerializedIdentity::newBuilder, x -> x);
    return node;
  }

  // --- config

  private ObjectNode flatConfigEnvelope(ObjectNode node) {
    if (node.get("config") instanceof ObjectNode config) {
      flatConfig(config);
    }
    if (node.get("last_update") instanceof ObjectNode lastUpdate) {
      flatEnvelope(lastUpdate);
    }
    return node;
  }

  private ObjectNode flatConfig(ObjectNode node) {
    if (node.get("channel_group") instanceof ObjectNode group) {
      flatGroup(group);
    }
    return node;
  }

  private ObjectNode flatConfigUpdateEnvelope(ObjectNode node) {
    encodeInto(node, "config_update", ConfigUpdate::newBuilder, this::flatConfigUpdate);
    signatureHeaders(node, "signatures");
    return node;
  }

  private ObjectNode flatConfigUpdate(ObjectNode node) {
    if (node.get("read_set") instanceof ObjectNode read) {
      flatGroup(read);
    }
    if (node.get("write_set") instanceof ObjectNode write) {
      flatGroup(write);
    }
    return node;
  }

  private ObjectNode flatGroup(ObjectNode node) {
    if (node.get("groups") instanceof ObjectNode groups) {
      for (JsonNode g : groups) {
        if (g instanceof ObjectNode o) {
          flatGroup(o);
        }
      }
    }
    if (node.get("values") instanceof ObjectNode values) {
      Iterator<Map.Entry<String, JsonNode>> it = values.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue() instanceof ObjectNode o) {
          flatValue(e.getKey(), o);
        }
      }
    }
    if (node.get("policies") instanceof ObjectNode policies) {
      for (JsonNode p : policies) {
        if (p instanceof ObjectNode o) {
          flatConfigPolicy(o);
        }
      }
    }
    return node;
  }

  private ObjectNode flatValue(String key, ObjectNode node) {
    var p = ConfigValues.parser(key);
    if (p.isPresent()) {
      encodeInto(node, "value", builderOf(p.get()), v -> flatConfigValue(key, v));
    } else {
      encodeInto(node, "value", null, x -> x);
    }
    return node;
  }

  private ObjectNode flatConfigValue(String key, ObjectNode node) {
    if ("MSP".equals(key)) {
      int type = node.path("type").asInt(0);
      var p = ConfigValues.mspConfigParser(type);
      encodeInto(node, "config", p.isPresent() ? builderOf(p.get()) : null, x -> x);
    } else if ("ConsensusType".equals(key)) {
      var p = ConfigValues.consensusMetadataParser(node.path("type").asText(""));
      encodeInto(node, "metadata", p.isPresent() ? builderOf(p.get()) : null, x -> x);
    }
    return node;
  }

  private ObjectNode flatConfigPolicy(ObjectNode node) {
    if (node.get("policy") instanceof ObjectNode policy) {
      flatPolicy(policy);
    }
    return node;
  }

  private ObjectNode flatPolicy(ObjectNode node) {
    int type = node.path("type").asInt(0);
    switch (Policy.PolicyType.forNumber(type)) {
      case SIGNATURE ->
          encodeInto(node, "value", SignaturePolicyEnvelope::newBuilder, this::flatSignaturePolicy);
      case IMPLICIT_META -> encodeInto(node, "value", ImplicitMetaPolicy::newBuilder, x -> x);
      case null, default -> {}
    }
    return node;
  }

  private ObjectNode flatSignaturePolicy(ObjectNode node) {
    if (node.get("identities") instanceof ArrayNode identities) {
      for (JsonNode identity : identities) {
        if (identity instanceof ObjectNode o) {
          MSPPrincipal.Classification c = classification(o.get("principal_classification"));
          var p =
              c == null
                  ? java.util.Optional.<com.google.protobuf.Parser<? extends Message>>empty()
                  : ConfigValues.principalParser(c);
          if (p.isPresent()) {
            encodeInto(o, "principal", builderOf(p.get()), x -> x);
          }
        }
      }
    }
    return node;
  }

  private static MSPPrincipal.Classification classification(JsonNode node) {
    if (node == null || node.isNull()) {
      return MSPPrincipal.Classification.ROLE;
    }
    if (node.isNumber()) {
      return MSPPrincipal.Classification.forNumber(node.asInt());
    }
    try {
      return MSPPrincipal.Classification.valueOf(node.asText());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  // --- endorser transactions

  private ObjectNode flatTransaction(ObjectNode node) {
    if (node.get("actions") instanceof ArrayNode actions) {
      for (JsonNode action : actions) {
        if (action instanceof ObjectNode o) {
          encodeInto(o, "header", SignatureHeader::newBuilder, this::flatSignatureHeader);
          encodeInto(o, "payload", ChaincodeActionPayload::newBuilder, this::flatActionPayload);
        }
      }
    }
    return node;
  }

  private ObjectNode flatActionPayload(ObjectNode node) {
    encodeInto(
        node,
        "chaincode_proposal_payload",
        ChaincodeProposalPayload::newBuilder,
        p -> {
          encodeInto(p, "input", ChaincodeInvocationSpec::newBuilder, x -> x);
          return p;
        });
    if (node.get("action") instanceof ObjectNode action) {
      encodeInto(
          action,
          "proposal_response_payload",
          ProposalResponsePayload::newBuilder,
          prp -> {
            encodeInto(prp, "extension", ChaincodeAction::newBuilder, this::flatAction);
            return prp;
          });
    }
    return node;
  }

  private ObjectNode flatAction(ObjectNode node) {
    encodeInto(
        node,
        "results",
        TxReadWriteSet::newBuilder,
        rws -> {
          if (rws.get("ns_rwset") instanceof ArrayNode ns) {
            for (JsonNode n : ns) {
              if (n instanceof ObjectNode o) {
                encodeInto(o, "rwset", KVRWSet::newBuilder, x -> x);
              }
            }
          }
          return rws;
        });
    encodeInto(node, "events", ChaincodeEvent::newBuilder, x -> x);
    return node;
  }

  // --- machinery

  private static Supplier<Message.Builder> builderOf(
      com.google.protobuf.Parser<? extends Message> p) {
    return () -> {
      try {
        return p.parseFrom(new byte[0]).newBuilderForType();
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /**
   * Replaces {@code parent.field} when it is a decoded message (an object) by the base64 of its
   * encoding, and when it is {@code null} by empty bytes; base64 text stays as it is.
   *
   * @param builder the message the field holds, or null for a field shown only as base64 or null
   */
  private void encodeInto(
      ObjectNode parent,
      String field,
      Supplier<? extends Message.Builder> builder,
      UnaryOperator<ObjectNode> flatten) {
    JsonNode value = parent.get(field);
    if (value == null) {
      return;
    }
    if (value.isNull()) {
      parent.remove(field);
      return;
    }
    if (value instanceof ObjectNode o) {
      if (builder == null) {
        throw new FabricJsonException(
            "field " + field + " holds an object, but no message type is known for it here");
      }
      parent.put(field, encodedText(o, builder, flatten));
    }
  }

  private JsonNode encoded(
      JsonNode value,
      Supplier<? extends Message.Builder> builder,
      UnaryOperator<ObjectNode> flatten) {
    if (value instanceof ObjectNode o) {
      return mapper.getNodeFactory().textNode(encodedText(o, builder, flatten));
    }
    return value;
  }

  private String encodedText(
      ObjectNode o,
      Supplier<? extends Message.Builder> builder,
      UnaryOperator<ObjectNode> flatten) {
    Message.Builder b = builder.get();
    merge(flatten.apply(o), b, b.getDescriptorForType().getFullName());
    return Base64.getEncoder().encodeToString(b.build().toByteArray());
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> T parse(
      ObjectNode flat, Supplier<? extends Message.Builder> builder, String type) {
    Message.Builder b = builder.get();
    merge(flat, b, type);
    return (T) b.build();
  }

  private void merge(ObjectNode flat, Message.Builder b, String type) {
    try {
      parser.merge(mapper.writeValueAsString(flat), b);
    } catch (IOException e) {
      throw new FabricJsonException("not a " + type + ": " + e.getMessage(), e);
    }
  }

  private ObjectNode copy(JsonNode json) {
    if (!(json instanceof ObjectNode o)) {
      throw new FabricJsonException("expected a JSON object, found " + json.getNodeType());
    }
    return o.deepCopy();
  }
}
