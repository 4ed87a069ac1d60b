package io.unifiedexposure.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The working directory of a self-contained run (demo, bench): emptied at the start of each run,
 * but only when a run made it. A run marks the directory it creates ({@value #MARKER}); a non-empty
 * directory without the mark is someone else's and is refused, untouched.
 */
public final class WorkDirs {
  /** The file that marks a directory as a demo's or bench's own. */
  public static final String MARKER = ".exposure-workdir";

  private WorkDirs() {}

  /**
   * Deletes {@code dir} and everything below it if a run made it, then creates it empty (marked).
   *
   * @throws IllegalArgumentException naming {@code flag} when {@code dir} holds files a run did not make
   */
  public static Path recreate(Path dir, String flag) throws IOException {
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--" + flag + "=" + dir + " is a file, not a directory");
      }
      if (!Files.exists(dir.resolve(MARKER)) && !isEmpty(dir)) {
        throw new IllegalArgumentException("--" + flag + "=" + dir + " is not empty and was not made by a demo or"
            + " bench run; nothing was deleted: give a new or empty directory");
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        List<Path> all = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        for (Path p : all) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKER), "made by exposure demo/bench; emptied by its next run\n");
    return dir;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
