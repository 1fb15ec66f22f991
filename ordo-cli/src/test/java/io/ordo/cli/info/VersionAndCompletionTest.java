package io.ordo.cli.info;

import static org.assertj.core.api.Assertions.assertThat;

import io.ordo.cli.Cli;
import io.ordo.cli.ExitCodes;
import io.ordo.orderer.ops.BuildInfo;
import org.junit.jupiter.api.Test;

class VersionAndCompletionTest {
  @Test
  void versionPrintsTheBuildsVersionCommitAndFabricLevel() {
    Cli.Result r = Cli.run("version");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    BuildInfo build = BuildInfo.current();
    // the build wrote the file: a test run from Maven never falls back to the defaults
    assertThat(build.version()).isNotEqualTo("development").endsWith("SNAPSHOT");
    assertThat(build.commit()).matches("[0-9a-f]{12}|unknown");
    assertThat(r.out())
        .contains(" Version: " + build.version())
        .contains(" Commit SHA: " + build.commit())
        .contains(" Fabric: 3.0.0");
    assertThat(Cli.run("--version").out()).isEqualTo(r.out());
  }

  @Test
  void completionCoversSubcommandsAndTheirFlags() {
    Cli.Result r = Cli.run("completion");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_ordo")
        .contains("network up")
        .contains("--channelID")
        .contains("--network");
  }
}
