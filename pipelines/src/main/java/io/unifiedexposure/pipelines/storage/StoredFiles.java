package io.unifiedexposure.pipelines.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Small files and listings on any Beam file system, a local path or a URL ({@code s3://bucket/key}):
 * a replay's manifest, reconcile's report, the Parquet files below a directory. The file system of
 * a scheme is the one {@link FileSystems#setDefaultPipelineOptions} registered (a pipeline does it
 * when it is created; a command without one calls it itself).
 */
public final class StoredFiles {
  private StoredFiles() {}

  /**
   * Why a storage call failed, in one line a person acts on: S3's own error message and code for a
   * refused request (a missing bucket, a wrong secret), what to set when no credentials were found.
   * Never a credential: the AWS SDK's messages name providers and variables, not their values.
   */
  public static String why(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof AwsServiceException && ((AwsServiceException) root).awsErrorDetails() != null) {
      AwsServiceException s = (AwsServiceException) root;
      return s.awsErrorDetails().errorMessage()
          + " (" + s.awsErrorDetails().errorCode() + ", HTTP " + s.statusCode() + ")";
    }
    if (root instanceof SdkClientException
        && String.valueOf(root.getMessage()).startsWith("Unable to load credentials")) {
      return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an AWS profile,"
          + " or --awsCredentialsProvider";
    }
    return String.valueOf(root.getMessage());
  }

  /** {@code name} below {@code dir}, for local directories and URLs alike. */
  public static String resolve(String dir, String name) {
    return (dir.endsWith("/") ? dir : dir + "/") + name;
  }

  /** Every {@code *.parquet} file below {@code dir}, at any depth, by name (none when it does not exist). */
  public static List<MatchResult.Metadata> parquetFiles(String dir) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>(matching(resolve(dir, "**.parquet")));
    files.sort(Comparator.comparing(f -> f.resourceId().toString()));
    return files;
  }

  /**
   * The files a pattern matches (none is not an error). A {@code /**} matches at any depth, none
   * included, on every file system: Beam's Hadoop file system (hdfs://) reads it as one folder or
   * more, so the pattern is matched with {@code /*} in its place too, and each file listed once.
   */
  public static List<MatchResult.Metadata> matching(String pattern) throws IOException {
    List<String> patterns = pattern.contains("/**") ? List.of(pattern, pattern.replace("/**", "/*")) : List.of(pattern);
    Map<String, MatchResult.Metadata> files = new LinkedHashMap<>();
    for (String p : patterns) {
      // One pattern per call: Beam's S3 file system fails a call whose patterns list a file twice.
      for (MatchResult.Metadata f : FileSystems.match(List.of(p), EmptyMatchTreatment.ALLOW).get(0).metadata()) {
        files.putIfAbsent(f.resourceId().toString(), f);
      }
    }
    return new ArrayList<>(files.values());
  }

  /** Writes a whole file (UTF-8), replacing one that is there; local parents are created. */
  public static void writeString(String file, String text) throws IOException {
    // Closed once, through the stream: a second close of Beam's S3 channel completes its upload again.
    try (OutputStream out = Channels.newOutputStream(
        FileSystems.create(FileSystems.matchNewResource(file, false), MimeTypes.TEXT))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Writes one Parquet file of {@code rows} through {@code sink}; returns the rows written. Parquet's
   * writer closes the channel when the sink flushes, so it is closed here only if that did not
   * happen: a second close of Beam's S3 channel completes its multipart upload again and fails.
   */
  public static long writeParquet(ResourceId file, FileIO.Sink<GenericRecord> sink, Iterable<GenericRecord> rows)
      throws IOException {
    long n = 0;
    WritableByteChannel channel = FileSystems.create(file, MimeTypes.BINARY);
    try {
      sink.open(channel);
      for (GenericRecord row : rows) {
        sink.write(row);
        n++;
      }
      sink.flush();
    } finally {
      if (channel.isOpen()) {
        channel.close();
      }
    }
    return n;
  }

  /** A whole file's text (UTF-8), or null when there is no such file. */
  public static String readString(String file) throws IOException {
    List<MatchResult.Metadata> found = matching(file);
    if (found.isEmpty()) {
      return null;
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(found.get(0).resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
