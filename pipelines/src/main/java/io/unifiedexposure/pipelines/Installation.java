package io.unifiedexposure.pipelines;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the product is installed ({@code -Dexposure.home}, set by {@code ./exposure}): files that
 * ship with it ({@code @runners-config/<file>.args}, the Flink settings an args file names) are found
 * there when a relative path does not name a file in the directory the command runs in. Every
 * other relative path (archives, outputs, work directories) is the user's, resolved against where
 * the command runs.
 */
public final class Installation {
  public static final String HOME_PROPERTY = "exposure.home";

  private Installation() {}

  /** {@code path} as given when it exists (or is absolute, or no home is known); else under the home. */
  public static Path resolve(String path) {
    Path given = Path.of(path);
    String home = System.getProperty(HOME_PROPERTY);
    if (given.isAbsolute() || Files.exists(given) || home == null) {
      return given;
    }
    Path shipped = Path.of(home).resolve(given);
    return Files.exists(shipped) ? shipped : given;
  }
}
