package io.ordo.orderer.rpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.io.IOException;

/**
 * Decodes messages whose byte fields share the input's bytes instead of copying them. Blocks and
 * envelopes carry kilobytes to megabytes of data that the orderer only passes on; a decode that
 * copies them costs a memory copy per hop. Only for inputs that are never modified afterwards (a
 * {@link ByteString} is immutable unless made with {@code UnsafeByteOperations}).
 */
public final class SharedBytes {
  private SharedBytes() {}

  public static <T> T parse(Parser<T> parser, ByteString bytes)
      throws InvalidProtocolBufferException {
    CodedInputStream in = bytes.newCodedInput();
    in.enableAliasing(true);
    try {
      T message = parser.parseFrom(in);
      in.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      // an in-memory input fails only as a malformed message does
      throw new InvalidProtocolBufferException(e);
    }
  }
}
