package io.unifiedexposure.pipelines;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Local paths given to a launcher are resolved against the directory the launcher runs in. A job
 * may run elsewhere: on a Flink cluster a relative {@code --archive=archive} would be read from
 * the TaskManager's working directory, and a replay would find nothing there.
 */
public final class LocalPaths {
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");

  private LocalPaths() {}

  /** Whether {@code path} names a file system by scheme ({@code s3://…}) rather than a local path. */
  public static boolean hasScheme(String path) {
    return SCHEME.matcher(path).matches();
  }

  /** {@code path} made absolute when it is a relative local path (no scheme); as given otherwise. */
  public static String absolute(String path) {
    if (path == null || path.isEmpty() || hasScheme(path)) {
      return path;
    }
    String resolved = Path.of(path).toAbsolutePath().normalize().toString();
    return path.endsWith("/") && !resolved.endsWith("/") ? resolved + "/" : resolved;
  }
}
