package io.unifiedexposure.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class JobFailuresTest {
  @Test
  void aJobThatSpentItsRestartsSaysSoAndNamesTheRootCause() {
    Throwable failure =
        new RuntimeException(
            "org.apache.flink.runtime.client.JobExecutionException: Job execution failed.",
            new IllegalStateException(
                "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=10, backoffTimeMS=10000)",
                new IOException("Size of the state is larger than the maximum permitted memory-backed state.\n\tat ...")));
    assertEquals(
        "no restarts left (FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=10, backoffTimeMS=10000));"
            + " IOException: Size of the state is larger than the maximum permitted memory-backed state.",
        JobFailures.describe(failure));
  }

  @Test
  void aPlainFailureIsItsRootCause() {
    assertEquals("IllegalStateException: broker gone",
        JobFailures.describe(new RuntimeException("wrapped", new IllegalStateException("broker gone"))));
    assertEquals("NullPointerException", JobFailures.describe(new NullPointerException()));
  }
}
