package io.unifiedexposure.contract;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * An instant in the contract's wire text ({@link IsoInstants#format}), from a source that read it
 * as a timestamp: a text node like any other (equal to a {@link TextNode} of the same text, written
 * and encoded as that text), which also keeps the epoch millis it was printed from, so the decoder
 * and the shard batches need not parse back what was just printed.
 *
 * <p>Only for instants whose text takes {@link IsoInstants}' direct shape (years 0000-9999), where
 * text and millis determine each other ({@code IsoInstantsTest}); any other instant is handed over
 * as its plain text and read back by the general parser, as before.
 */
public final class InstantText extends TextNode {
  private final long epochMillis;

  private InstantText(String text, long epochMillis) {
    super(text);
    this.epochMillis = epochMillis;
  }

  /** The instant's wire text: an {@code InstantText} in the direct shape, else a plain text node. */
  public static TextNode of(long epochMillis) {
    return IsoInstants.printsDirectly(epochMillis)
        ? new InstantText(IsoInstants.format(epochMillis), epochMillis)
        : TextNode.valueOf(IsoInstants.format(epochMillis));
  }

  /** The epoch millis the text was printed from, which parsing the text gives back. */
  public long epochMillis() {
    return epochMillis;
  }
}
