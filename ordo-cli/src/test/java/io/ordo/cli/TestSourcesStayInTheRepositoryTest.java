package io.ordo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No test of any module reads a path outside the repository: every test source is scanned for the
 * ways a test could reach above it (a string literal stepping up with {@code ..}, {@code
 * resolveSibling}, walking up with {@code getParent()}, starting from the working directory, a
 * {@code vectors} folder named in a path). Test data comes from {@code testdata/} through each
 * module's {@code TestData}, which refuses paths outside that folder. A line that spells such a
 * name as hostile input a test sends to the node (a crafted channel ID), and never opens itself,
 * ends with the comment {@value #HOSTILE_INPUT}.
 */
class TestSourcesStayInTheRepositoryTest {
  private static final Path ROOT = TestData.root();

  /** What a line of a test source must not contain, with the reason given when it does. */
  private record Rule(Pattern pattern, String reason) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(Pattern.compile("\"\\.\\.([/\\\\\"])"), "a string literal starting with .."),
          new Rule(Pattern.compile("[/\\\\]\\.\\.([/\\\\\"])"), "a string literal stepping up"),
          new Rule(Pattern.compile("resolveSibling\\("), "resolveSibling reaches beside a folder"),
          new Rule(
              Pattern.compile("(\\w+)\\s*=\\s*\\1\\s*\\.getParent\\(\\)"),
              "a loop walking up the folders"),
          new Rule(
              Pattern.compile("getParent\\(\\)\\s*\\.\\s*getParent\\(\\)"), "a getParent() chain"),
          new Rule(
              Pattern.compile("(Path\\.of|Paths\\.get)\\(\\s*\"\"\\s*\\)|\"user\\.dir\""),
              "the working directory as a starting point"),
          new Rule(
              Pattern.compile("\"[^\"]*\\bvectors/"),
              "a vectors folder: test data lives in testdata/"));

  /** Marks a line whose upward names are input sent to the node, not paths the test reads. */
  static final String HOSTILE_INPUT = "// hostile input, never opened";

  /** The first rule {@code line} breaks, if any. */
  private static Optional<Rule> broken(String line) {
    if (line.stripTrailing().endsWith(HOSTILE_INPUT)) {
      return Optional.empty();
    }
    return RULES.stream().filter(r -> r.pattern().matcher(line).find()).findFirst();
  }

  @Test
  void noTestSourceReachesOutsideTheRepository() throws IOException {
    List<Path> sources = testSources();
    assertThat(sources).as("test sources under %s", ROOT).hasSizeGreaterThan(100);
    List<String> offences = new ArrayList<>();
    for (Path source : sources) {
      if (source.getFileName().toString().equals(getClass().getSimpleName() + ".java")) {
        continue; // its rules spell out what they look for
      }
      List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        int n = i + 1;
        broken(line)
            .ifPresent(
                r ->
                    offences.add(
                        ROOT.relativize(source)
                            + ":"
                            + n
                            + ": "
                            + r.reason()
                            + ": "
                            + line.strip()));
      }
    }
    assertThat(offences)
        .as(
            "test sources must read files only inside the repository (test data through"
                + " TestData.path, from testdata/)")
        .isEmpty();
  }

  @Test
  void theRulesCatchWhatTheyAreFor() {
    for (String bad :
        List.of(
            "Path p = Path.of(\"../data/x.json\");",
            "dir.resolve(\"a/../../b\")",
            "Path.of(\"..\")",
            "p.resolveSibling(\"shared\")",
            "for (Path p = start; p != null; p = p.getParent()) {",
            "base.getParent().getParent().resolve(\"x\")",
            "Path.of(\"\").toAbsolutePath()",
            "System.getProperty(\"user.dir\")",
            "p.resolve(\"vectors/campaign-rule.json\")")) {
      assertThat(broken(bad)).as(bad).isPresent();
    }
    for (String fine :
        List.of(
            "Files.createDirectories(file.getParent());",
            "tls.getParent().resolve(\"msp\")",
            "Path.of(\"target\", \"process-logs\")",
            "TestData.path(\"fabric-v3.0.0-network/block-0.pb\")",
            "join(\"../evil\"); " + HOSTILE_INPUT,
            "// the shared buffer's capacity")) {
      assertThat(broken(fine)).as(fine).isEmpty();
    }
  }

  @Test
  void testDataRefusesPathsOutsideItsFolder() {
    assertThat(TestData.path("campaign-rule.json")).isRegularFile();
    assertThatThrownBy(() -> TestData.path("../pom.xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> TestData.path("fabric-v3.0.0-network/../../ordo"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestData.path("no-such-file.json"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("testdata/README.md");
  }

  /** Every file under a module's src/test. */
  private static List<Path> testSources() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/test"))).toList()) {
        try (Stream<Path> files = Files.walk(module.resolve("src/test"))) {
          files.filter(Files::isRegularFile).filter(f -> isText(f)).forEach(out::add);
        }
      }
    }
    return out;
  }

  private static boolean isText(Path f) {
    String name = f.getFileName().toString();
    return name.endsWith(".java")
        || name.endsWith(".yaml")
        || name.endsWith(".xml")
        || name.endsWith(".properties");
  }
}
