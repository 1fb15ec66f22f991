package io.ordo.storage.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileAppenderTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "direct={0}")
  @ValueSource(booleans = {true, false})
  void appendsOfAnySizeLeaveTheSameBytesAsAPlainFileAndOnlyZerosAfterThem(boolean direct)
      throws IOException {
    long seed = seed();
    Random random = new Random(seed);
    Path file = Files.createFile(dir.resolve("f"));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    try (FileAppender a = FileAppender.open(ChannelFactory.DEFAULT, file, 0, direct)) {
      for (int i = 0; i < 200; i++) {
        int size = random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(300);
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        int split = size == 0 ? 0 : random.nextInt(size);
        a.append(ByteBuffer.wrap(bytes, 0, split), ByteBuffer.wrap(bytes, split, size - split));
        expected.write(bytes);
        assertThat(a.position()).as("seed %d", seed).isEqualTo(expected.size());
      }
      a.force(false);
    }
    assertWritten(file, expected.toByteArray(), seed);
  }

  @Test
  void aReopenedOrTruncatedFileGoesOnFromItsPositionWithTheBytesBeforeItKept() throws IOException {
    long seed = seed();
    Random random = new Random(seed);
    Path file = Files.createFile(dir.resolve("f"));
    byte[] first = new byte[5_000];
    random.nextBytes(first);
    try (FileAppender a = FileAppender.open(ChannelFactory.DEFAULT, file, 0, true)) {
      a.append(ByteBuffer.wrap(first));
    }
    byte[] second = new byte[3_001];
    random.nextBytes(second);
    try (FileAppender a = FileAppender.open(ChannelFactory.DEFAULT, file, 4_321, true)) {
      a.append(ByteBuffer.wrap(second));
      a.truncate(4_400);
      assertThat(a.position()).isEqualTo(4_400);
      a.append(ByteBuffer.wrap(second, 0, 100));
    }
    byte[] expected = new byte[4_500];
    System.arraycopy(first, 0, expected, 0, 4_321);
    System.arraycopy(second, 0, expected, 4_321, 79);
    System.arraycopy(second, 0, expected, 4_400, 100);
    assertWritten(file, expected, seed);
  }

  @Test
  void aFileSystemWithoutDirectWritesGetsBufferedOnes() throws IOException {
    Path file = Files.createFile(dir.resolve("f"));
    ChannelFactory noDirect =
        (path, options) -> {
          if (Arrays.asList(options).contains(com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            throw new IOException("Invalid argument");
          }
          return ChannelFactory.DEFAULT.open(path, options);
        };
    try (FileAppender a = FileAppender.open(noDirect, file, 0, true)) {
      assertThat(a.direct()).isFalse();
      a.append(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
  }

  @Test
  void directWritesThatTheFileSystemRefusesGoThroughThePageCacheInstead() throws IOException {
    Path file = Files.createFile(dir.resolve("f"));
    FullDiskChannels disk = new FullDiskChannels(Long.MAX_VALUE);
    byte[] first = new byte[5_000];
    byte[] second = new byte[3_000];
    Arrays.fill(first, (byte) 1);
    Arrays.fill(second, (byte) 2);
    try (FileAppender a = FileAppender.open(disk, file, 0, true)) {
      assumeTrue(a.direct(), "the file system of the test directory takes direct writes");
      a.append(ByteBuffer.wrap(first));
      disk.refuseDirectWrites();
      a.append(ByteBuffer.wrap(second));
      assertThat(a.direct()).isFalse();
      assertThat(a.position()).isEqualTo(8_000);
      a.append(ByteBuffer.wrap(first, 0, 10));
    }
    byte[] expected = new byte[8_010];
    System.arraycopy(first, 0, expected, 0, 5_000);
    System.arraycopy(second, 0, expected, 5_000, 3_000);
    System.arraycopy(first, 0, expected, 8_000, 10);
    assertWritten(file, expected, 0);
  }

  /** Replay with {@code -Dordo.test.seed=N}. */
  private static long seed() {
    long seed = Long.getLong("ordo.test.seed", new SecureRandom().nextLong());
    System.out.println(
        "FileAppenderTest seed " + seed + " (replay with -Dordo.test.seed=" + seed + ")");
    return seed;
  }

  private static void assertWritten(Path file, byte[] expected, long seed) throws IOException {
    byte[] actual = Files.readAllBytes(file);
    assertThat(actual.length)
        .as("seed %d", seed)
        .isBetween(expected.length, expected.length + 65536);
    assertThat(Arrays.copyOf(actual, expected.length)).as("seed %d", seed).isEqualTo(expected);
    for (int i = expected.length; i < actual.length; i++) {
      assertThat(actual[i]).as("padding byte %d (seed %d)", i, seed).isZero();
    }
  }
}
