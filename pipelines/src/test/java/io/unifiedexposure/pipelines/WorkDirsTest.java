package io.unifiedexposure.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No command deletes a directory it did not create. */
class WorkDirsTest {
  @Test
  void aRunEmptiesOnlyTheDirectoryARunMade(@TempDir Path tmp) throws Exception {
    Path mine = WorkDirs.recreate(tmp.resolve("demo-output"), "workDir");
    Files.writeString(mine.resolve("left-by-the-last-run"), "x");
    WorkDirs.recreate(mine, "workDir");
    assertFalse(Files.exists(mine.resolve("left-by-the-last-run")), "its own directory is emptied");
    assertTrue(Files.exists(mine.resolve(WorkDirs.MARKER)));

    Path theirs = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(theirs.resolve("thesis.tex"), "years of work");
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> WorkDirs.recreate(theirs, "workDir"));
    assertTrue(refused.getMessage().startsWith("--workDir=" + theirs + " is not empty"), refused.getMessage());
    assertEquals("years of work", Files.readString(theirs.resolve("thesis.tex")), "untouched");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    WorkDirs.recreate(empty, "workDir");
    assertTrue(Files.exists(empty.resolve(WorkDirs.MARKER)), "an empty directory is taken");
  }
}
