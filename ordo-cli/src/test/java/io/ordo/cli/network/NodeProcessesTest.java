package io.ordo.cli.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeProcessesTest {
  @TempDir Path dir;

  @Test
  void aNodeThatCannotStartExitsAndItsLogTailSaysWhy() throws Exception {
    NodeProcesses processes = new NodeProcesses(dir);
    Path yaml = dir.resolve("nodes/orderer1/orderer.yaml");
    Files.createDirectories(yaml.getParent());
    Files.writeString(yaml, "General:\n  ListenPort: not-a-port\n");
    ProcessHandle node = processes.start("orderer1", yaml);
    node.onExit().get(30, TimeUnit.SECONDS);
    assertThat(processes.running("orderer1")).isEmpty();
    assertThat(processes.logTail("orderer1")).contains("cannot start", "ListenPort");
    assertThat(processes.nodesWithPidFiles()).containsExactly("orderer1");
    processes.forget("orderer1");
    assertThat(processes.nodesWithPidFiles()).isEmpty();
  }

  @Test
  void stopEndsARunningProcessWithSigterm() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    int killed = NodeProcesses.stop(List.of(sleeper.toHandle()), Duration.ofSeconds(5));
    assertThat(killed).isZero();
    assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
  }
}
