package io.unifiedexposure.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The working directory of a self-contained run (demo, bench): emptied at the start of each run. */
public final class WorkDirs {
  private WorkDirs() {}

  /** Deletes {@code dir} and everything below it if it exists, then creates it empty. */
  public static Path recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        List<Path> all = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        for (Path p : all) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }
}
