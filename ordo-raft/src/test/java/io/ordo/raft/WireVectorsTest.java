package io.ordo.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.ordo.raft.pb.ConfChange;
import io.ordo.raft.pb.ConfChangeType;
import io.ordo.raft.pb.ConfState;
import io.ordo.raft.pb.Entry;
import io.ordo.raft.pb.EntryType;
import io.ordo.raft.pb.HardState;
import io.ordo.raft.pb.Message;
import io.ordo.raft.pb.MessageType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every raftpb vector made by etcd raft v3.5.14 decodes to the value it describes and encodes back
 * to exactly the same bytes.
 */
class WireVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<JsonNode> raftVectors() throws IOException {
    JsonNode all =
        new ObjectMapper().readTree(TestData.path("raftpb-and-block-hash.json").toFile());
    List<JsonNode> out = new ArrayList<>();
    all.forEach(
        v -> {
          if (v.get("kind").asText().startsWith("raftpb.")) {
            out.add(v);
          }
        });
    assertThat(out).hasSizeGreaterThanOrEqualTo(16);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("raftVectors")
  void vectorDecodesToItsValueAndEncodesBackByteForByte(JsonNode v) throws Exception {
    byte[] bytes = HEX.parseHex(v.get("hex").asText());
    JsonNode value = v.get("value");
    String kind = v.get("kind").asText();
    switch (kind) {
      case "raftpb.Message" -> {
        Message decoded = Message.parseFrom(bytes);
        Message expected = messageFrom(value);
        assertThat(decoded).isEqualTo(expected);
        assertThat(HEX.formatHex(expected.toByteArray())).isEqualTo(v.get("hex").asText());
      }
      case "raftpb.HardState" -> {
        HardState decoded = HardState.parseFrom(bytes);
        HardState expected =
            Messages.hardState(
                value.get("term").asLong(),
                value.get("vote").asLong(),
                value.get("commit").asLong());
        assertThat(decoded).isEqualTo(expected);
        assertThat(expected.toByteArray()).isEqualTo(bytes);
      }
      case "raftpb.ConfState" -> {
        ConfState decoded = ConfState.parseFrom(bytes);
        ConfState expected = confStateFrom(value);
        assertThat(decoded).isEqualTo(expected);
        assertThat(expected.toByteArray()).isEqualTo(bytes);
      }
      case "raftpb.ConfChange" -> {
        ConfChange decoded = ConfChange.parseFrom(bytes);
        ConfChange expected = confChangeFrom(value);
        assertThat(decoded).isEqualTo(expected);
        assertThat(expected.toByteArray()).isEqualTo(bytes);
      }
      case "raftpb.Entry" -> {
        Entry decoded = Entry.parseFrom(bytes);
        Entry expected = entryFrom(value);
        assertThat(decoded).isEqualTo(expected);
        assertThat(expected.toByteArray()).isEqualTo(bytes);
        assertThat(Messages.entrySize(expected)).isEqualTo(bytes.length);
        if (expected.getType() == EntryType.EntryConfChange) {
          ConfChange cc = ConfChange.parseFrom(expected.getData());
          assertThat(cc.getType()).isEqualTo(ConfChangeType.ConfChangeAddNode);
        }
      }
      default -> throw new AssertionError("unknown vector kind " + kind);
    }
  }

  private static Message messageFrom(JsonNode v) {
    Message.Builder b =
        Messages.message(
                MessageType.forNumber(v.get("type").asInt()),
                v.get("to").asLong(),
                v.get("from").asLong(),
                v.get("term").asLong())
            .setLogTerm(v.get("logTerm").asLong())
            .setIndex(v.get("index").asLong())
            .setCommit(v.get("commit").asLong())
            .setReject(v.get("reject").asBoolean())
            .setRejectHint(v.get("rejectHint").asLong());
    JsonNode entries = v.get("entries");
    if (entries != null && entries.isArray()) {
      entries.forEach(e -> b.addEntries(entryFrom(e)));
    }
    JsonNode snap = v.get("snapshot");
    JsonNode md = snap.get("metadata");
    b.setSnapshot(
        Messages.snapshot(
            bytesOrNull(snap.get("data")),
            confStateFrom(md.get("conf_state")),
            md.get("index").asLong(),
            md.get("term").asLong()));
    ByteString ctx = bytesOrNull(v.get("context"));
    if (ctx != null) {
      b.setContext(ctx);
    }
    return b.build();
  }

  private static Entry entryFrom(JsonNode e) {
    return Messages.entry(
        e.get("Term").asLong(),
        e.get("Index").asLong(),
        EntryType.forNumber(e.get("Type").asInt()),
        bytesOrNull(e.get("Data")));
  }

  private static ConfState confStateFrom(JsonNode cs) {
    ConfState.Builder b = ConfState.newBuilder();
    longs(cs.get("voters")).forEach(b::addVoters);
    longs(cs.get("learners")).forEach(b::addLearners);
    longs(cs.get("voters_outgoing")).forEach(b::addVotersOutgoing);
    longs(cs.get("learners_next")).forEach(b::addLearnersNext);
    b.setAutoLeave(cs.path("auto_leave").asBoolean(false));
    return b.build();
  }

  private static ConfChange confChangeFrom(JsonNode v) {
    ConfChange.Builder b =
        ConfChange.newBuilder()
            .setId(v.get("id").asLong())
            .setType(ConfChangeType.forNumber(v.get("type").asInt()))
            .setNodeId(v.get("node_id").asLong());
    ByteString ctx = bytesOrNull(v.get("context"));
    if (ctx != null) {
      b.setContext(ctx);
    }
    return b.build();
  }

  private static List<Long> longs(JsonNode arr) {
    List<Long> out = new ArrayList<>();
    if (arr != null && arr.isArray()) {
      arr.forEach(n -> out.add(n.asLong()));
    }
    return out;
  }

  private static ByteString bytesOrNull(JsonNode n) {
    return n == null || n.isNull()
        ? null
        : ByteString.copyFrom(Base64.getDecoder().decode(n.asText()));
  }
}
