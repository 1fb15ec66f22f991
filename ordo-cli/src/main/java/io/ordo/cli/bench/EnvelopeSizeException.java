package io.ordo.cli.bench;

/** The envelope size asked for cannot be made: below what the headers and signature take. */
public final class EnvelopeSizeException extends RuntimeException {
  EnvelopeSizeException(String message) {
    super(message);
  }

  EnvelopeSizeException(int asked, int smallest) {
    this(
        "--size "
            + asked
            + " is below the smallest envelope this client can sign, "
            + smallest
            + " bytes (channel and signature headers, the creator certificate twice, the"
            + " transaction's framing and the signature); use --size "
            + smallest
            + " or more");
  }
}
