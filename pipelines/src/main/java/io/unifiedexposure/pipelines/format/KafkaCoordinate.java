package io.unifiedexposure.pipelines.format;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a record sat in Kafka, written as a source coordinate {@code kafka:topic/partition@offset}. */
public final class KafkaCoordinate {
  private static final Pattern FORM = Pattern.compile("^kafka:(.+)/(\\d+)@(\\d+)$");

  public final String topic;
  public final int partition;
  public final long offset;

  public KafkaCoordinate(String topic, int partition, long offset) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }

  /** The coordinate a source coordinate names, if it is a Kafka one. */
  public static Optional<KafkaCoordinate> parse(String source) {
    Matcher m = source == null ? null : FORM.matcher(source);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new KafkaCoordinate(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
  }

  @Override
  public String toString() {
    return "kafka:" + topic + "/" + partition + "@" + offset;
  }
}
