package io.ordo.fabric.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Fabric's messages as JSON in the shape of {@code configtxlator proto_decode}, and back as {@code
 * configtxlator proto_encode} reads it ({@link FabricJsonEncoder}).
 *
 * <p>A block as JSON in the shape of {@code configtxlator proto_decode --type common.Block}: proto
 * field names, 64-bit numbers as strings, bytes as base64, and the bytes fields that hold a known
 * message replaced by that message, decoded in turn.
 *
 * <p>Decoded, as configtxlator does: each data item as an Envelope; Envelope.payload; the payload's
 * channel_header (its extension for endorser transactions), signature_header (creator as a
 * SerializedIdentity) and data by header type (CONFIG: ConfigEnvelope with the whole config tree
 * and last_update; CONFIG_UPDATE: ConfigUpdateEnvelope; ENDORSER_TRANSACTION: Transaction down to
 * the read-write sets and chaincode events; ORDERER_TRANSACTION: Envelope); in the config tree each
 * ConfigValue by its key, each policy by its type, MSP configs and principals. Beyond
 * configtxlator, metadata slot 0 (SIGNATURES) is decoded too: OrdererBlockMetadata and each
 * signature's header. Everything else stays base64.
 *
 * <p>A bytes field is shown decoded only when it parses as the expected message with no field
 * unknown to it; otherwise (random bytes as the payload of a test transaction, a newer message) it
 * keeps its base64 text, so the output never pretends. It is decoded only when the message encodes
 * back to the same bytes, so that {@link FabricJsonEncoder} gives back the original bytes of
 * whatever this decoded.
 */
public final class FabricJson {
  private final JsonFormat.Printer printer;
  private final ObjectMapper mapper = new ObjectMapper();

  public FabricJson() {
    JsonFormat.TypeRegistry types =
        JsonFormat.TypeRegistry.newBuilder()
            .add(Block.getDescriptor())
            .add(ConfigEnvelope.getDescriptor())
            .add(Transaction.getDescriptor())
            .add(MSPConfig.getDescriptor())
            .add(ConfigUpdateEnvelope.getDescriptor())
            .build();
    this.printer =
        JsonFormat.printer()
            .usingTypeRegistry(types)
            .preservingProtoFieldNames()
            .alwaysPrintFieldsWithNoPresence();
  }

  public ObjectNode block(Block block) {
    ObjectNode node = json(block);
    ArrayNode data = (ArrayNode) node.path("data").path("data");
    for (int i = 0; i < block.getData().getDataCount(); i++) {
      int index = i;
      decode(
          block.getData().getData(i),
          Envelope.parser(),
          this::envelope,
          decoded -> data.set(index, decoded));
    }
    if (block.getMetadata().getMetadataCount() > 0) {
      ArrayNode slots = (ArrayNode) node.path("metadata").path("metadata");
      decode(
          block.getMetadata().getMetadata(0),
          Metadata.parser(),
          this::signaturesSlot,
          decoded -> slots.set(0, decoded));
    }
    return node;
  }

  /** Pretty-printed JSON text. */
  public String text(Block block) {
    return text(block(block));
  }

  /** Pretty-printed JSON text of a node this class made. */
  public String text(JsonNode node) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot print JSON", e);
    }
  }

  /** {@code proto_decode --type common.Config}: the sequence and the whole decoded tree. */
  public ObjectNode config(Config config) {
    ObjectNode node = json(config);
    if (config.hasChannelGroup()) {
      node.set("channel_group", group(config.getChannelGroup()));
    }
    return node;
  }

  /** {@code proto_decode --type common.ConfigEnvelope}. */
  public ObjectNode configEnvelope(ConfigEnvelope envelope) {
    return config(envelope);
  }

  /** {@code proto_decode --type common.ConfigUpdate}. */
  public ObjectNode configUpdateJson(ConfigUpdate update) {
    return configUpdate(update);
  }

  /** {@code proto_decode --type common.ConfigUpdateEnvelope}. */
  public ObjectNode configUpdateEnvelopeJson(ConfigUpdateEnvelope envelope) {
    return configUpdateEnvelope(envelope);
  }

  /** {@code proto_decode --type common.Envelope}. */
  public ObjectNode envelopeJson(Envelope envelope) {
    return envelope(envelope);
  }

  /** A config group (a part of a config tree) as {@code proto_decode} shows it. */
  public ObjectNode groupJson(ConfigGroup group) {
    return group(group);
  }

  /** A config value as it appears in its group's {@code values}, decoded by its key. */
  public ObjectNode valueJson(String key, ConfigValue value) {
    ObjectNode node = json(value);
    ConfigValues.parser(key)
        .ifPresentOrElse(
            parser -> decodeInto(node, "value", value.getValue(), parser, this::configValue),
            () -> nullIfEmpty(node, "value", value.getValue()));
    return node;
  }

  /** A config policy as it appears in its group's {@code policies}. */
  public ObjectNode policyJson(ConfigPolicy policy) {
    ObjectNode node = json(policy);
    if (policy.hasPolicy()) {
      node.set("policy", policy(policy.getPolicy()));
    }
    return node;
  }

  private ObjectNode signaturesSlot(Metadata m) {
    ObjectNode node = json(m);
    decodeInto(node, "value", m.getValue(), OrdererBlockMetadata.parser(), this::json);
    signatureHeaders(node, m.getSignaturesList(), MetadataSignature::getSignatureHeader);
    return node;
  }

  private ObjectNode envelope(Envelope env) {
    ObjectNode node = json(env);
    decodeInto(node, "payload", env.getPayload(), Payload.parser(), this::payload);
    return node;
  }

  private ObjectNode payload(Payload p) {
    ObjectNode node = json(p);
    if (!p.hasHeader()) {
      return node;
    }
    ObjectNode header = (ObjectNode) node.get("header");
    ChannelHeader channelHeader = null;
    try {
      channelHeader = strict(ChannelHeader.parser(), p.getHeader().getChannelHeader());
      header.set("channel_header", channelHeader(channelHeader));
    } catch (InvalidProtocolBufferException e) {
      // stays base64, and the data's type is unknown
    }
    decodeInto(
        header,
        "signature_header",
        p.getHeader().getSignatureHeader(),
        SignatureHeader.parser(),
        this::signatureHeader);
    if (channelHeader == null) {
      return node;
    }
    switch (HeaderType.forNumber(channelHeader.getType())) {
      case CONFIG -> decodeInto(node, "data", p.getData(), ConfigEnvelope.parser(), this::config);
      case CONFIG_UPDATE ->
          decodeInto(
              node, "data", p.getData(), ConfigUpdateEnvelope.parser(), this::configUpdateEnvelope);
      case ENDORSER_TRANSACTION ->
          decodeInto(node, "data", p.getData(), Transaction.parser(), this::transaction);
      case ORDERER_TRANSACTION ->
          decodeInto(node, "data", p.getData(), Envelope.parser(), this::envelope);
      case null, default -> {}
    }
    return node;
  }

  private ObjectNode channelHeader(ChannelHeader h) {
    ObjectNode node = json(h);
    if (h.getExtension().isEmpty()) {
      // configtxlator decodes the extension by header type: empty, it is no message at all
      node.putNull("extension");
    } else if (h.getType() == HeaderType.ENDORSER_TRANSACTION_VALUE) {
      decodeInto(
          node, "extension", h.getExtension(), ChaincodeHeaderExtension.parser(), this::json);
    }
    return node;
  }

  private ObjectNode signatureHeader(SignatureHeader h) {
    ObjectNode node = json(h);
    decodeInto(node, "creator", h.getCreator(), SerializedIdentity.parser(), this::json);
    return node;
  }

  private <T extends Message> void signatureHeaders(
      ObjectNode parent, List<T> items, java.util.function.Function<T, ByteString> header) {
    ArrayNode array = (ArrayNode) parent.get("signatures");
    for (int i = 0; i < items.size(); i++) {
      decodeInto(
          (ObjectNode) array.get(i),
          "signature_header",
          header.apply(items.get(i)),
          SignatureHeader.parser(),
          this::signatureHeader);
    }
  }

  // --- config

  private ObjectNode config(ConfigEnvelope ce) {
    // the config tree decoded as common.Config is, last_update as an envelope
    ObjectNode node = json(ce);
    if (ce.hasConfig() && ce.getConfig().hasChannelGroup()) {
      ((ObjectNode) node.get("config"))
          .set("channel_group", group(ce.getConfig().getChannelGroup()));
    }
    if (ce.hasLastUpdate()) {
      node.set("last_update", envelope(ce.getLastUpdate()));
    }
    return node;
  }

  private ObjectNode configUpdateEnvelope(ConfigUpdateEnvelope cue) {
    ObjectNode node = json(cue);
    decodeInto(
        node, "config_update", cue.getConfigUpdate(), ConfigUpdate.parser(), this::configUpdate);
    signatureHeaders(node, cue.getSignaturesList(), ConfigSignature::getSignatureHeader);
    return node;
  }

  private ObjectNode configUpdate(ConfigUpdate cu) {
    ObjectNode node = json(cu);
    if (cu.hasReadSet()) {
      node.set("read_set", group(cu.getReadSet()));
    }
    if (cu.hasWriteSet()) {
      node.set("write_set", group(cu.getWriteSet()));
    }
    return node;
  }

  private ObjectNode group(ConfigGroup g) {
    ObjectNode node = json(g);
    ObjectNode groups = (ObjectNode) node.get("groups");
    for (Map.Entry<String, ConfigGroup> e : g.getGroupsMap().entrySet()) {
      groups.set(e.getKey(), group(e.getValue()));
    }
    ObjectNode values = (ObjectNode) node.get("values");
    for (Map.Entry<String, ConfigValue> e : g.getValuesMap().entrySet()) {
      values.set(e.getKey(), valueJson(e.getKey(), e.getValue()));
    }
    ObjectNode policies = (ObjectNode) node.get("policies");
    for (Map.Entry<String, ConfigPolicy> e : g.getPoliciesMap().entrySet()) {
      policies.set(e.getKey(), policyJson(e.getValue()));
    }
    return node;
  }

  private ObjectNode configValue(Message value) {
    ObjectNode node = json(value);
    if (value instanceof MSPConfig msp) {
      ConfigValues.mspConfigParser(msp.getType())
          .ifPresentOrElse(
              parser -> decodeInto(node, "config", msp.getConfig(), parser, this::json),
              () -> nullIfEmpty(node, "config", msp.getConfig()));
    } else if (value instanceof ConsensusType ct) {
      ConfigValues.consensusMetadataParser(ct.getType())
          .ifPresentOrElse(
              parser -> decodeInto(node, "metadata", ct.getMetadata(), parser, this::json),
              () -> nullIfEmpty(node, "metadata", ct.getMetadata()));
    }
    return node;
  }

  private ObjectNode policy(Policy p) {
    ObjectNode node = json(p);
    switch (Policy.PolicyType.forNumber(p.getType())) {
      case SIGNATURE ->
          decodeInto(
              node, "value", p.getValue(), SignaturePolicyEnvelope.parser(), this::signaturePolicy);
      case IMPLICIT_META ->
          decodeInto(
              node,
              "value",
              p.getValue(),
              org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.parser(),
              this::json);
      case null, default -> {}
    }
    return node;
  }

  private ObjectNode signaturePolicy(SignaturePolicyEnvelope spe) {
    ObjectNode node = json(spe);
    ArrayNode identities = (ArrayNode) node.get("identities");
    for (int i = 0; i < spe.getIdentitiesCount(); i++) {
      MSPPrincipal principal = spe.getIdentities(i);
      ObjectNode target = (ObjectNode) identities.get(i);
      ConfigValues.principalParser(principal.getPrincipalClassification())
          .ifPresent(
              parser ->
                  decodeInto(target, "principal", principal.getPrincipal(), parser, this::json));
    }
    return node;
  }

  // --- endorser transactions

  private ObjectNode transaction(Transaction tx) {
    ObjectNode node = json(tx);
    ArrayNode actions = (ArrayNode) node.get("actions");
    for (int i = 0; i < tx.getActionsCount(); i++) {
      TransactionAction action = tx.getActions(i);
      ObjectNode target = (ObjectNode) actions.get(i);
      decodeInto(
          target, "header", action.getHeader(), SignatureHeader.parser(), this::signatureHeader);
      decodeInto(
          target,
          "payload",
          action.getPayload(),
          ChaincodeActionPayload.parser(),
          this::chaincodeActionPayload);
    }
    return node;
  }

  private ObjectNode chaincodeActionPayload(ChaincodeActionPayload cap) {
    ObjectNode node = json(cap);
    decodeInto(
        node,
        "chaincode_proposal_payload",
        cap.getChaincodeProposalPayload(),
        ChaincodeProposalPayload.parser(),
        ccpp -> {
          ObjectNode n = json(ccpp);
          decodeInto(n, "input", ccpp.getInput(), ChaincodeInvocationSpec.parser(), this::json);
          return n;
        });
    if (cap.hasAction()) {
      decodeInto(
          (ObjectNode) node.get("action"),
          "proposal_response_payload",
          cap.getAction().getProposalResponsePayload(),
          ProposalResponsePayload.parser(),
          prp -> {
            ObjectNode n = json(prp);
            decodeInto(n, "extension", prp.getExtension(), ChaincodeAction.parser(), this::action);
            return n;
          });
    }
    return node;
  }

  private ObjectNode action(ChaincodeAction a) {
    ObjectNode node = json(a);
    decodeInto(
        node,
        "results",
        a.getResults(),
        TxReadWriteSet.parser(),
        rws -> {
          ObjectNode n = json(rws);
          ArrayNode ns = (ArrayNode) n.get("ns_rwset");
          for (int i = 0; i < rws.getNsRwsetCount(); i++) {
            decodeInto(
                (ObjectNode) ns.get(i),
                "rwset",
                rws.getNsRwset(i).getRwset(),
                KVRWSet.parser(),
                this::json);
          }
          return n;
        });
    decodeInto(node, "events", a.getEvents(), ChaincodeEvent.parser(), this::json);
    return node;
  }

  // --- decoding machinery

  /**
   * A bytes field that holds a message this class does not decode (a Kafka or BFT value): empty,
   * configtxlator shows it as no message, {@code null}; otherwise it stays base64.
   */
  private static void nullIfEmpty(ObjectNode parent, String field, ByteString bytes) {
    if (bytes.isEmpty() && parent.has(field)) {
      parent.putNull(field);
    }
  }

  private <T extends Message> void decodeInto(
      ObjectNode parent,
      String field,
      ByteString bytes,
      Parser<T> parser,
      java.util.function.Function<T, ? extends JsonNode> render) {
    if (parent == null || !parent.has(field)) {
      return;
    }
    decode(bytes, parser, render, decoded -> parent.set(field, decoded));
  }

  private <T extends Message> void decode(
      ByteString bytes,
      Parser<T> parser,
      java.util.function.Function<T, ? extends JsonNode> render,
      java.util.function.Consumer<JsonNode> replace) {
    if (bytes.isEmpty()) {
      // configtxlator shows no message, not an empty one, for empty bytes
      replace.accept(NullNode.getInstance());
      return;
    }
    T message;
    try {
      message = strict(parser, bytes);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    replace.accept(render.apply(message));
  }

  /**
   * Parses {@code bytes}, refusing a message with fields its type does not know, or one that does
   * not encode back to {@code bytes} (random bytes that happen to parse), so that what is shown
   * decoded encodes back to the very bytes it came from.
   */
  static <T extends Message> T strict(Parser<T> parser, ByteString bytes)
      throws InvalidProtocolBufferException {
    T message = parser.parseFrom(bytes);
    if (hasUnknownFields(message)) {
      throw new InvalidProtocolBufferException("fields unknown to the expected message");
    }
    if (!message.toByteString().equals(bytes)) {
      throw new InvalidProtocolBufferException("not the canonical encoding of the message");
    }
    return message;
  }

  private static boolean hasUnknownFields(Message m) {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      return true;
    }
    boolean[] found = {false};
    BiConsumer<FieldDescriptor, Object> visit =
        (field, value) -> {
          if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return;
          }
          if (field.isRepeated()) {
            for (Object item : (List<?>) value) {
              found[0] |= hasUnknownFields((Message) item);
            }
          } else {
            found[0] |= hasUnknownFields((Message) value);
          }
        };
    m.getAllFields().forEach(visit);
    return found[0];
  }

  private ObjectNode json(Message m) {
    ObjectNode node;
    try {
      node = (ObjectNode) mapper.readTree(printer.print(m));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot print a " + m.getDescriptorForType().getFullName() + " as JSON", e);
    }
    unsetMessagesAsNull(m, node);
    return node;
  }

  /**
   * configtxlator prints a message field that is not set as {@code null} (Go's JSON marshalling of
   * protobuf with defaults emitted); protobuf-java's printer leaves it out. Fields of a oneof stay
   * out, as in Go, and well-known types keep protobuf-java's JSON form.
   */
  private static void unsetMessagesAsNull(Message m, ObjectNode node) {
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE
          || f.getRealContainingOneof() != null) {
        continue;
      }
      JsonNode child = node.get(f.getName());
      if (f.isMapField()) {
        for (Object entry : (List<?>) m.getField(f)) {
          Message e = (Message) entry;
          FieldDescriptor valueField = e.getDescriptorForType().findFieldByName("value");
          String key = String.valueOf(e.getField(e.getDescriptorForType().findFieldByName("key")));
          if (valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              && child != null
              && child.get(key) instanceof ObjectNode value) {
            unsetMessagesAsNull((Message) e.getField(valueField), value);
          }
        }
      } else if (f.isRepeated()) {
        List<?> items = (List<?>) m.getField(f);
        for (int i = 0; i < items.size(); i++) {
          if (child != null && child.get(i) instanceof ObjectNode item && ownJson(f)) {
            unsetMessagesAsNull((Message) items.get(i), item);
          }
        }
      } else if (!m.hasField(f)) {
        node.putNull(f.getName());
      } else if (child instanceof ObjectNode object && ownJson(f)) {
        unsetMessagesAsNull((Message) m.getField(f), object);
      }
    }
  }

  /** Whether the field's message prints as its own fields (not a well-known type's form). */
  private static boolean ownJson(FieldDescriptor f) {
    return !f.getMessageType().getFullName().startsWith("google.protobuf.");
  }
}
