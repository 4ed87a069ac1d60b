package io.unifiedexposure.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Path flags refused up front, by name, before any job starts: an empty path (which would read or
 * write whatever lies below the working directory) and an output that is a regular file (which
 * would fail only after the whole job ran). Local paths come back absolute ({@link LocalPaths}).
 */
public final class PathFlags {
  private PathFlags() {}

  /** An input path or pattern: refused when missing or blank. */
  public static String input(String flag, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + flag + " is empty: give a directory or a file pattern");
    }
    return LocalPaths.absolute(value);
  }

  /** An output directory: refused when missing or blank, or when a regular file is there. */
  public static String outputDirectory(String flag, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + flag + " is empty: give the directory to write to");
    }
    String absolute = LocalPaths.absolute(value);
    if (!LocalPaths.hasScheme(absolute) && Files.isRegularFile(Path.of(absolute))) {
      throw new IllegalArgumentException("--" + flag + "=" + value + " is a file, not a directory");
    }
    return absolute;
  }
}
