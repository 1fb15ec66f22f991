package io.ordo.storage.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.ordo.storage.io.Crc32c;
import io.ordo.storage.io.Directories;
import io.ordo.storage.io.FileAppender;
import io.ordo.storage.io.StorageCorruptionException;
import io.ordo.storage.io.StorageIoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks of one channel. One thread appends; any number read. A block becomes visible (in
 * {@link #height()}, to readers and waiters) only once its bytes and its index record are on disk.
 *
 * <p>The ledger holds blocks {@link #first()} to {@code height() - 1}: {@link #prune} deletes the
 * block files wholly below a block, on the caller's thread and off the append path, and a new
 * ledger may start at a later block ({@link #startAt}). The first block is recorded in the index's
 * header record, replaced in one rename, so that a crash at any point leaves a ledger that opens
 * and serves from its first block.
 *
 * <p>Block numbers are checked against the height; the hash chain is the orderer's business.
 */
public final class BlockLedger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BlockLedger.class);

  private final Path dir;
  private final LedgerOptions options;
  private final HeightWaiters waiters;
  private final ConcurrentHashMap<Integer, FileChannel> readChannels = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();

  /** One prune at a time; taken before {@link #writeLock}, never inside it. */
  private final Object pruneLock = new Object();

  // writer state, guarded by writeLock
  private FileAppender data;
  private int dataFile;
  private FileChannel indexChannel;

  /** The block of the index's first record, and the bytes of the header record before it. */
  private long indexFirst;

  private int indexHeaderBytes;
  private Exception failure;

  /** The lowest block file that may still exist; guarded by pruneLock. */
  private int lowestFile;

  private final RecentBlocks recent = new RecentBlocks();
  private final AtomicReference<StorageCorruptionException> damage = new AtomicReference<>();

  // published state: view is written before height, read after it
  private volatile IndexView view;
  private volatile long height;
  private volatile boolean closed;

  /**
   * Block locations packed as {@code file << 40 | offset}, and block lengths; slot {@code i} is
   * block {@code origin + i}, and the blocks from {@code first} on are held. A prune moves {@code
   * first} only; the arrays are cut down to the held blocks when they grow.
   */
  private record IndexView(long origin, long first, long[] packed, int[] lengths) {
    BlockLocation get(long n) {
      int i = Math.toIntExact(n - origin);
      return new BlockLocation((int) (packed[i] >>> 40), packed[i] & ((1L << 40) - 1), lengths[i]);
    }
  }

  private BlockLedger(
      Path dir, LedgerOptions options, LedgerRecovery.Result recovered, FileChannel indexChannel)
      throws IOException {
    this.dir = dir;
    this.options = options;
    this.waiters = new HeightWaiters(dir.toString());
    this.indexChannel = indexChannel;
    List<BlockLocation> locs = recovered.locations();
    int capacity = Math.max(1024, locs.size() * 2);
    long[] packed = new long[capacity];
    int[] lengths = new int[capacity];
    for (int i = 0; i < locs.size(); i++) {
      packed[i] = pack(locs.get(i));
      lengths[i] = locs.get(i).length();
    }
    this.view = new IndexView(recovered.first(), recovered.first(), packed, lengths);
    this.indexFirst = recovered.first();
    this.indexHeaderBytes = recovered.headerBytes();
    this.lowestFile = recovered.firstFile();
    this.height = recovered.first() + locs.size();
    this.dataFile = recovered.lastFile();
    Path file = dataPath(dataFile);
    try {
      this.data =
          FileAppender.open(
              options.channels(), file, recovered.lastFileEnd(), options.directWrites());
    } catch (IOException e) {
      throw new StorageIoException(file, "open for append", e);
    }
  }

  /**
   * Opens (or creates) the ledger in {@code dir}: checks the index against the block files, cuts a
   * torn last block, rebuilds a missing or damaged index.
   *
   * @throws StorageCorruptionException for damage a crash cannot explain
   */
  public static BlockLedger open(Path dir, LedgerOptions options) {
    Directories.create(dir);
    LedgerRecovery.Result r = new LedgerRecovery(dir, options.channels()).recover();
    Path indexFile = dir.resolve(LedgerRecovery.INDEX_FILE);
    try {
      FileChannel index =
          options.channels().open(indexFile, StandardOpenOption.WRITE, StandardOpenOption.READ);
      BlockLedger ledger = new BlockLedger(dir, options, r, index);
      log.info(
          "opened ledger {} at height {}{}{}",
          dir,
          ledger.height,
          r.first() > 0 ? ", holding blocks from " + r.first() : "",
          ledger.data.direct() ? " (direct writes)" : "");
      return ledger;
    } catch (IOException e) {
      throw new StorageIoException(indexFile, "open", e);
    }
  }

  /** The number of the next block to append (the number of blocks, unless {@link #first} > 0). */
  public long height() {
    return height;
  }

  /**
   * The number of the first block held: 0 unless the ledger was pruned or started at a later block.
   * Blocks below it answer {@link BlockPrunedException}.
   */
  public long first() {
    return view.first();
  }

  /**
   * Appends one block, durably, then makes it visible.
   *
   * @throws IllegalArgumentException if its number is not {@link #height()}
   * @throws StorageIoException if the disk fails; the ledger then refuses appends until reopened
   */
  public void append(Block block) {
    appendAll(List.of(block));
  }

  /** Appends consecutive blocks with one fsync of the data and one of the index. */
  public void appendAll(List<Block> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    synchronized (writeLock) {
      ensureWritable();
      long started = System.nanoTime();
      long first = height;
      for (int i = 0; i < blocks.size(); i++) {
        long number = blocks.get(i).getHeader().getNumber();
        if (number != first + i) {
          throw new IllegalArgumentException(
              "ledger "
                  + dir
                  + ": block "
                  + number
                  + " cannot be appended at height "
                  + (first + i)
                  + " (expected number "
                  + (first + i)
                  + ")");
        }
      }
      List<BlockLocation> added = new ArrayList<>(blocks.size());
      List<ByteString> written = new ArrayList<>(blocks.size());
      int startFile = dataFile;
      long startPos = data.position();
      Path file = dataPath(dataFile);
      String step = "write block";
      try {
        for (Block b : blocks) {
          byte[] bytes = b.toByteArray();
          long at = data.position();
          if (at > 0 && at + BlockFrames.HEADER_BYTES + bytes.length > options.fileBytes()) {
            step = "fsync before rolling";
            data.force(false);
            step = "roll block file";
            rollFile();
            file = dataPath(dataFile);
            step = "write block";
            at = 0;
          }
          data.append(frameHeader(bytes), ByteBuffer.wrap(bytes));
          added.add(new BlockLocation(dataFile, at, bytes.length));
          written.add(UnsafeByteOperations.unsafeWrap(bytes));
        }
        step = "fsync blocks";
        data.force(false);
        file = indexPath();
        step = "write index";
        ByteBuffer records = ByteBuffer.allocate(added.size() * BlockLocation.RECORD_BYTES);
        added.forEach(loc -> loc.writeTo(records));
        writeFully(indexChannel, records.flip(), indexOffset(first));
        step = "fsync index";
        indexChannel.force(false);
      } catch (IOException e) {
        fail(startFile, startPos, first, e);
        throw new StorageIoException(file, step + " (blocks from " + first + ")", e);
      }
      for (int i = 0; i < written.size(); i++) {
        recent.add(first + i, written.get(i));
      }
      publish(added);
      options.appends().appended(blocks.size(), height, System.nanoTime() - started);
    }
  }

  /**
   * Starts an empty ledger at {@code block}, which need not be block 0: a node that onboards from a
   * config block when no orderer holds the blocks before it. The block is written and synced, then
   * an index naming it as the first block takes the place of the empty one in one rename; a crash
   * before the rename leaves the ledger empty (its next open cuts the block as a torn write).
   *
   * @throws IllegalStateException if the ledger holds a block already
   * @throws StorageIoException if the disk fails; the ledger then refuses appends until reopened
   */
  public void startAt(Block block) {
    long number = block.getHeader().getNumber();
    if (number == 0) {
      append(block);
      return;
    }
    synchronized (pruneLock) {
      synchronized (writeLock) {
        ensureWritable();
        if (height != 0 || data.position() != 0) {
          throw new IllegalStateException(
              "ledger "
                  + dir
                  + " holds blocks up to "
                  + (height - 1)
                  + "; only an empty ledger starts at block "
                  + number);
        }
        long started = System.nanoTime();
        byte[] bytes = block.toByteArray();
        BlockLocation loc = new BlockLocation(dataFile, 0, bytes.length);
        Path tmp = dir.resolve(LedgerRecovery.INDEX_FILE + ".tmp");
        Path file = dataPath(dataFile);
        String step = "write block";
        FileChannel index = null;
        try {
          data.append(frameHeader(bytes), ByteBuffer.wrap(bytes));
          step = "fsync block";
          data.force(false);
          file = tmp;
          step = "write the index of a ledger starting at block " + number;
          index = writeIndexFile(tmp, number, loc.file(), List.of(loc));
          step = "rename the index";
          Files.move(
              tmp,
              indexPath(),
              StandardCopyOption.ATOMIC_MOVE,
              StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          closeQuietly(index);
          fail(dataFile, 0, 0, e);
          throw new StorageIoException(file, step, e);
        }
        Directories.fsync(dir);
        closeQuietly(indexChannel);
        indexChannel = index;
        indexFirst = number;
        indexHeaderBytes = BlockLocation.RECORD_BYTES;
        lowestFile = dataFile;
        view = new IndexView(number, number, new long[1024], new int[1024]);
        height = number;
        recent.add(number, UnsafeByteOperations.unsafeWrap(bytes));
        publish(List.of(loc));
        options.appends().appended(1, height, System.nanoTime() - started);
        log.info("ledger {}: starts at block {}", dir, number);
      }
    }
  }

  /**
   * What a {@link #prune} did.
   *
   * @param first the ledger's first block afterwards
   * @param files the block files deleted
   * @param bytes their size
   */
  public record Pruned(long first, int files, long bytes) {}

  /**
   * Deletes the block files whose blocks are all below {@code below}, never the file of the newest
   * block. The new first block is made durable first: the index is written again from it, to a file
   * of its own, and renamed over the old one; then the files are deleted. A crash in between leaves
   * files below the first block that the next open deletes. Appends go on meanwhile, waiting only
   * while the new index takes the old one's place (the records appended while it was written, and a
   * rename). One prune runs at a time.
   *
   * @throws StorageIoException if the disk fails; the ledger stays usable, holding either the
   *     blocks it held before or those from its new first block
   */
  public Pruned prune(long below) {
    synchronized (pruneLock) {
      ensureOpen();
      IndexView v = view;
      long h = height;
      long keep = Math.min(below, h - 1);
      long newFirst = v.first();
      if (h > 0 && keep > v.first()) {
        int keepFile = v.get(keep).file();
        if (keepFile > v.get(v.first()).file()) {
          newFirst = keep;
          while (newFirst > v.first() && v.get(newFirst - 1).file() == keepFile) {
            newFirst--;
          }
          replaceIndex(v, h, newFirst, keepFile);
        }
      }
      int firstFile = h == 0 ? lowestFile : view.get(view.first()).file();
      int files = 0;
      long bytes = 0;
      for (int f = lowestFile; f < firstFile; f++) {
        Path file = dataPath(f);
        closeQuietly(readChannels.remove(f));
        try {
          if (Files.exists(file)) {
            bytes += Files.size(file);
            Files.delete(file);
            files++;
          }
        } catch (IOException e) {
          throw new StorageIoException(file, "delete a pruned block file", e);
        }
        lowestFile = f + 1;
      }
      if (files > 0) {
        Directories.fsync(dir);
        // a read that opened one of them meanwhile would keep its space held
        for (Integer f : List.copyOf(readChannels.keySet())) {
          if (f < firstFile) {
            closeQuietly(readChannels.remove(f));
          }
        }
        log.debug(
            "ledger {}: pruned {} block files ({} bytes); it holds blocks from {} (height {})",
            dir,
            files,
            bytes,
            view.first(),
            height);
      }
      return new Pruned(view.first(), files, bytes);
    }
  }

  /**
   * Writes the index of blocks {@code newFirst} on to a file of its own and renames it over the
   * index, after adding the records appended meanwhile; from the rename on, the ledger's first
   * block is {@code newFirst}. Called under pruneLock.
   */
  private void replaceIndex(IndexView v, long h, long newFirst, int newFirstFile) {
    Path tmp = dir.resolve(LedgerRecovery.INDEX_FILE + ".tmp");
    List<BlockLocation> locs = new ArrayList<>((int) (h - newFirst));
    for (long n = newFirst; n < h; n++) {
      locs.add(v.get(n));
    }
    FileChannel index;
    try {
      index = writeIndexFile(tmp, newFirst, newFirstFile, locs);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new StorageIoException(tmp, "write the index of the blocks from " + newFirst, e);
    }
    synchronized (writeLock) {
      try {
        ensureWritable();
        IndexView now = view;
        long h2 = height;
        if (h2 > h) {
          ByteBuffer records = ByteBuffer.allocate((int) (h2 - h) * BlockLocation.RECORD_BYTES);
          for (long n = h; n < h2; n++) {
            now.get(n).writeTo(records);
          }
          // not synced here, under the append lock: the next append syncs the index, and a crash
          // before it finds these blocks by their frames after the last record on disk
          writeFully(index, records.flip(), BlockLocation.RECORD_BYTES * (1 + h - newFirst));
        }
        Files.move(
            tmp, indexPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileChannel old = indexChannel;
        indexChannel = index;
        indexFirst = newFirst;
        indexHeaderBytes = BlockLocation.RECORD_BYTES;
        closeQuietly(old);
        view = new IndexView(now.origin(), newFirst, now.packed(), now.lengths());
      } catch (IOException | RuntimeException e) {
        closeQuietly(index);
        deleteQuietly(tmp);
        if (e instanceof IOException io) {
          throw new StorageIoException(tmp, "put the index of the blocks from " + newFirst, io);
        }
        throw (RuntimeException) e;
      }
    }
    // until this, a crash finds the old index, and the blocks appended since by their frames
    Directories.fsync(dir);
  }

  /**
   * Writes an index that starts with a header naming block {@code first} in block file {@code
   * firstFile}, followed by {@code locs}, and syncs it; returns it open for further records.
   */
  private FileChannel writeIndexFile(Path file, long first, int firstFile, List<BlockLocation> locs)
      throws IOException {
    FileChannel ch =
        options
            .channels()
            .open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ);
    try {
      int chunk = 4096;
      ByteBuffer buf =
          ByteBuffer.allocate((1 + Math.min(chunk, locs.size())) * BlockLocation.RECORD_BYTES);
      BlockLocation.header(first, firstFile).writeTo(buf);
      long at = 0;
      for (int i = 0; i <= locs.size(); i++) {
        if (i == locs.size() || !buf.hasRemaining()) {
          buf.flip();
          int n = buf.remaining();
          writeFully(ch, buf, at);
          at += n;
          buf.clear();
          if (i == locs.size()) {
            break;
          }
        }
        locs.get(i).writeTo(buf);
      }
      ch.force(true);
      return ch;
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", file, e.getMessage());
    }
  }

  /**
   * Block {@code n}, read and checked from disk.
   *
   * @throws NoSuchElementException if {@code n} is not below the height
   * @throws StorageCorruptionException if its bytes do not match their checksum
   */
  public Block block(long n) {
    Stored stored = read(n);
    try {
      return Block.parseFrom(stored.bytes());
    } catch (InvalidProtocolBufferException e) {
      throw corrupt(stored.file(), stored.offset(), "block " + n + " does not parse");
    }
  }

  /**
   * Block {@code n} as marshalled on disk, checksum and number checked but not decoded: what
   * Deliver sends, without decoding and re-encoding a block for every reader.
   *
   * @throws NoSuchElementException if {@code n} is not below the height
   * @throws StorageCorruptionException if its bytes do not match their checksum or number
   */
  public ByteString blockBytes(long n) {
    return read(n).bytes();
  }

  /**
   * The first damage a read or a scrub found in this ledger since it was opened, which its {@link
   * CorruptionListener} was told of.
   */
  public Optional<StorageCorruptionException> damage() {
    return Optional.ofNullable(damage.get());
  }

  /** A block's checked bytes and where they lie. */
  private record Stored(ByteString bytes, Path file, long offset) {}

  private Stored read(long n) {
    IndexView v = checkHeld(n);
    ensureOpen();
    BlockLocation loc = v.get(n);
    Path file = dataPath(loc.file());
    ByteString cached = recent.get(n);
    if (cached != null) {
      return new Stored(cached, file, loc.offset());
    }
    // the buffer is this read's own and never written again: the bytes share it, not copy it
    ByteBuffer buf = ByteBuffer.allocate(BlockFrames.HEADER_BYTES + loc.length());
    return new Stored(readFrame(n, loc, buf), file, loc.offset());
  }

  /** The size of block {@code n}'s frame in its file: header and block bytes. */
  int frameBytes(long n) {
    return BlockFrames.HEADER_BYTES + checkHeld(n).get(n).length();
  }

  /**
   * Reads block {@code n}'s frame back from its file, never from the memory of the newest blocks,
   * and checks it: what a scrub does.
   *
   * @param scratch a heap buffer of at least {@link #frameBytes} bytes, overwritten
   * @throws StorageCorruptionException if the frame is damaged
   * @throws LedgerClosedException if the ledger was closed
   */
  void verifyStored(long n, ByteBuffer scratch) {
    IndexView v = checkHeld(n);
    ensureOpen();
    readFrame(n, v.get(n), scratch);
  }

  /** The view in which block {@code n} is held. */
  private IndexView checkHeld(long n) {
    long h = height;
    IndexView v = view;
    if (n < 0 || n >= h) {
      throw new NoSuchElementException(
          "ledger " + dir + " has no block " + n + " (height " + h + ")");
    }
    if (n < v.first()) {
      throw new BlockPrunedException(dir, n, v.first(), h);
    }
    return v;
  }

  /**
   * Reads block {@code n}'s frame into {@code buf} from its start and checks length, CRC32C and
   * number; the block bytes returned share {@code buf}'s array.
   */
  private ByteString readFrame(long n, BlockLocation loc, ByteBuffer buf) {
    Path file = dataPath(loc.file());
    buf.clear().limit(BlockFrames.HEADER_BYTES + loc.length());
    try {
      FileChannel ch = readChannel(loc.file());
      while (buf.hasRemaining()) {
        if (ch.read(buf, loc.offset() + buf.position()) < 0) {
          throw corrupt(file, loc.offset(), "block " + n + " ends past the end of the file");
        }
      }
    } catch (IOException e) {
      IndexView v = view;
      if (n < v.first()) {
        // a prune deleted the file under this read
        throw new BlockPrunedException(dir, n, v.first(), height);
      }
      throw new StorageIoException(file, "read block " + n + " at offset " + loc.offset(), e);
    }
    if (buf.getInt(0) != loc.length()) {
      throw corrupt(
          file,
          loc.offset(),
          "block " + n + " frame length " + buf.getInt(0) + " != index " + loc.length());
    }
    if (Crc32c.of(buf, BlockFrames.HEADER_BYTES, loc.length()) != buf.getInt(4)) {
      throw corrupt(file, loc.offset(), "block " + n + " CRC32C mismatch");
    }
    ByteString bytes =
        UnsafeByteOperations.unsafeWrap(buf.array(), BlockFrames.HEADER_BYTES, loc.length());
    long number;
    try {
      number = headerNumber(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw corrupt(file, loc.offset(), "block " + n + " does not parse");
    }
    if (number != n) {
      throw corrupt(file, loc.offset(), "holds block " + number + " where " + n + " belongs");
    }
    return bytes;
  }

  /** The exception for damage at {@code file}/{@code offset}, reported to the listener first. */
  private StorageCorruptionException corrupt(Path file, long offset, String problem) {
    StorageCorruptionException e = new StorageCorruptionException(file, offset, problem);
    report(e);
    return e;
  }

  /** Tells the listener of the first damage found; later finds are only thrown. */
  void report(StorageCorruptionException e) {
    if (damage.compareAndSet(null, e)) {
      options.corruption().corrupted(this, e);
    }
  }

  /** The number in a marshalled block's header, reading only the header. */
  private static long headerNumber(ByteString block) throws InvalidProtocolBufferException {
    try {
      CodedInputStream in = block.newCodedInput();
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          return 0; // no header: block 0 of an empty header, as Block.parseFrom would read it
        }
        if (tag == HEADER_TAG) {
          return BlockHeader.parseFrom(in.readBytes()).getNumber();
        }
        if (!in.skipField(tag)) {
          return 0;
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** Block.header: field 1, length-delimited. */
  private static final int HEADER_TAG = (1 << 3) | 2;

  /** An iterator from block {@code from} on; its {@code next()} waits for blocks to come. */
  public BlockIterator iterator(long from) {
    if (from < 0) {
      throw new IllegalArgumentException("negative block number " + from);
    }
    return new BlockIterator(this, from);
  }

  /**
   * Completes with the height once it is at least {@code wanted}, on the appending thread (chain
   * heavy work with an {@code *Async} stage), or fails with {@link LedgerClosedException}.
   */
  public CompletableFuture<Long> awaitHeight(long wanted) {
    if (closed) {
      return CompletableFuture.failedFuture(new LedgerClosedException(dir.toString()));
    }
    return waiters.await(wanted, () -> height);
  }

  /** Readers currently waiting in {@link #awaitHeight}. */
  public int waitingReaders() {
    return waiters.waiting();
  }

  public Path directory() {
    return dir;
  }

  /** Closes the ledger, after a prune under way: its files are the owner's to delete then. */
  @Override
  public void close() {
    synchronized (pruneLock) {
      synchronized (writeLock) {
        if (closed) {
          return;
        }
        closed = true;
      }
    }
    waiters.close();
    try {
      if (failure == null) {
        trimPadding();
      }
      data.close();
    } catch (IOException e) {
      log.warn("ledger {}: closing block file {} failed", dir, dataFile, e);
    }
    closeQuietly(indexChannel);
    readChannels.values().forEach(BlockLedger::closeQuietly);
  }

  private static ByteBuffer frameHeader(byte[] block) {
    CRC32C crc = new CRC32C();
    crc.update(block);
    return ByteBuffer.allocate(BlockFrames.HEADER_BYTES)
        .putInt(block.length)
        .putInt((int) crc.getValue())
        .flip();
  }

  /** Cuts the zeros of the last direct write, so that the file ends with its last block. */
  private void trimPadding() throws IOException {
    if (data.size() != data.position()) {
      data.truncate(data.position());
      data.force(true);
    }
  }

  /**
   * Starts the next block file. The full one first loses the zeros a direct write padded it with,
   * durably: only the newest file may end in anything but a whole block.
   */
  private void rollFile() throws IOException {
    trimPadding();
    Path nextFile = dataPath(dataFile + 1);
    options
        .channels()
        .open(nextFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
        .close();
    Directories.fsync(dir);
    FileAppender next = FileAppender.open(options.channels(), nextFile, 0, options.directWrites());
    data.close();
    data = next;
    dataFile++;
  }

  private void publish(List<BlockLocation> added) {
    long first = height;
    IndexView v = view;
    long needed = first + added.size();
    if (needed - v.origin() > v.packed().length) {
      // the held blocks move to the start of arrays twice their number: pruned slots are dropped
      long held = first - v.first();
      int capacity = Math.toIntExact(Math.max(1024, 2 * (held + added.size())));
      long[] packed = new long[capacity];
      int[] lengths = new int[capacity];
      int from = Math.toIntExact(v.first() - v.origin());
      System.arraycopy(v.packed(), from, packed, 0, (int) held);
      System.arraycopy(v.lengths(), from, lengths, 0, (int) held);
      v = new IndexView(v.first(), v.first(), packed, lengths);
    }
    for (int i = 0; i < added.size(); i++) {
      int slot = Math.toIntExact(first + i - v.origin());
      v.packed()[slot] = pack(added.get(i));
      v.lengths()[slot] = added.get(i).length();
    }
    view = v;
    height = needed;
    waiters.reached(needed);
  }

  /** Where block {@code n}'s record lies in the index file; guarded by writeLock. */
  private long indexOffset(long n) {
    return indexHeaderBytes + (n - indexFirst) * BlockLocation.RECORD_BYTES;
  }

  /** Cuts back what the failed append wrote, so a reopen finds the ledger as it was. */
  private void fail(int startFile, long startPos, long first, IOException cause) {
    failure = cause;
    try {
      if (startFile == dataFile) {
        data.truncate(startPos);
      }
      indexChannel.truncate(indexOffset(first));
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
    // the operating system's words say it all (a full disk, a failed fsync): one line, no stack
    log.error(
        "ledger {}: append from block {} failed ({}); reopen the ledger",
        dir,
        first,
        cause.getMessage());
  }

  private void ensureWritable() {
    ensureOpen();
    if (failure != null) {
      throw new IllegalStateException(
          "ledger " + dir + " failed earlier (" + failure.getMessage() + "); close and reopen it",
          failure);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new LedgerClosedException(dir.toString());
    }
  }

  private FileChannel readChannel(int file) throws IOException {
    FileChannel ch = readChannels.get(file);
    if (ch != null) {
      return ch;
    }
    FileChannel opened = options.channels().open(dataPath(file), StandardOpenOption.READ);
    FileChannel raced = readChannels.putIfAbsent(file, opened);
    if (raced != null) {
      opened.close();
      return raced;
    }
    return opened;
  }

  private Path dataPath(int file) {
    return dir.resolve(BlockFrames.fileName(file));
  }

  private Path indexPath() {
    return dir.resolve(LedgerRecovery.INDEX_FILE);
  }

  private static long pack(BlockLocation loc) {
    return ((long) loc.file() << 40) | loc.offset();
  }

  static void writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      pos += ch.write(buf, pos);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      if (ch != null) {
        ch.close();
      }
    } catch (IOException e) {
      log.warn("closing a ledger file failed", e);
    }
  }
}
