package io.ordo.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fabric's {@code peer} CLI as a client of one identity ({@code CORE_PEER_LOCALMSPID}, {@code
 * CORE_PEER_MSPCONFIGPATH}, TLS on), as Fabric's documentation runs it: {@code peer channel fetch},
 * {@code signconfigtx} and {@code update} against an orderer, and {@code peer channel join} and
 * {@code getinfo} against a peer.
 */
final class PeerCli {
  private static final Pattern HEIGHT = Pattern.compile("\"height\":(\\d+)");

  private final FabricTools tools;
  private final Map<String, String> env;

  /**
   * @param mspDir the identity's MSP folder
   * @param peer the peer to talk to, or null for a client of orderers only
   */
  PeerCli(FabricTools tools, String mspId, Path mspDir, PeerNode peer) {
    this.tools = tools;
    Map<String, String> e = new HashMap<>();
    e.put("CORE_PEER_LOCALMSPID", mspId);
    e.put("CORE_PEER_MSPCONFIGPATH", mspDir.toString());
    e.put("CORE_PEER_TLS_ENABLED", "true");
    if (peer != null) {
      e.put("CORE_PEER_ADDRESS", peer.endpoint());
      e.put("CORE_PEER_TLS_ROOTCERT_FILE", peer.tlsCa().toString());
    }
    this.env = Map.copyOf(e);
  }

  /**
   * {@code peer channel fetch WHICH FILE -o ORDERER -c CHANNEL --tls --cafile CA}.
   *
   * @param which {@code newest}, {@code oldest}, {@code config} or a block number
   */
  ToolResult fetch(String which, Path file, String orderer, String channel, Path tlsCa) {
    return tools.peer(
        env,
        List.of(
            "channel",
            "fetch",
            which,
            file.toString(),
            "-o",
            orderer,
            "-c",
            channel,
            "--tls",
            "--cafile",
            tlsCa.toString()));
  }

  /** {@code peer channel signconfigtx -f FILE}: this identity's signature added to the file. */
  ToolResult signConfigTx(Path envelope) {
    return tools.peer(env, List.of("channel", "signconfigtx", "-f", envelope.toString()));
  }

  /**
   * {@code peer channel update -f FILE -c CHANNEL -o ORDERER --tls --cafile CA}, which adds this
   * identity's signature too before it submits.
   */
  ToolResult update(Path envelope, String orderer, String channel, Path tlsCa) {
    return tools.peer(
        env,
        List.of(
            "channel",
            "update",
            "-f",
            envelope.toString(),
            "-c",
            channel,
            "-o",
            orderer,
            "--tls",
            "--cafile",
            tlsCa.toString()));
  }

  /** {@code peer channel join -b BLOCK} on this CLI's peer. */
  ToolResult join(Path block) {
    return tools.peer(env, List.of("channel", "join", "-b", block.toString()));
  }

  /** The height {@code peer channel getinfo -c CHANNEL} reports, or -1 when it fails. */
  long height(String channel) {
    List<String> args = new ArrayList<>(List.of("channel", "getinfo", "-c", channel));
    ToolResult r = tools.peer(env, args);
    Matcher m = HEIGHT.matcher(r.out());
    return r.exitCode() == 0 && m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
