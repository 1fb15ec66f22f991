package io.ordo.cli.toolserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A command's stdout or stderr as {@link ToolProtocol} frames of one tag: what is written is held
 * until the command flushes, then sent as one frame. The two streams of a request share the
 * connection, so each frame is written whole under the connection's lock.
 */
final class FramedOutput extends OutputStream {
  private final OutputStream connection;
  private final byte tag;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  FramedOutput(OutputStream connection, byte tag) {
    this.connection = connection;
    this.tag = tag;
  }

  @Override
  public synchronized void write(int b) {
    pending.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    pending.write(b, off, len);
  }

  @Override
  public synchronized void flush() throws IOException {
    if (pending.size() == 0) {
      return;
    }
    byte[] data = pending.toByteArray();
    pending.reset();
    synchronized (connection) {
      ToolProtocol.frame(connection, tag, data, 0, data.length);
    }
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
