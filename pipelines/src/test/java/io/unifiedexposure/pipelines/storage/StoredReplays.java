package io.unifiedexposure.pipelines.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.unifiedexposure.contract.ProjectionRow;
import io.unifiedexposure.contract.ProjectionUpsert;
import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.ReadBack;
import io.unifiedexposure.pipelines.format.ProjectionRecords;
import io.unifiedexposure.pipelines.reconcile.Reconcile;
import io.unifiedexposure.pipelines.reconcile.ReconcileOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the storage specs (s3://, hdfs://) check of replays they wrote, whatever the file system. */
public final class StoredReplays {
  private StoredReplays() {}

  /** The projection rows below a directory, by window; exactly one row per window. */
  public static Map<String, ProjectionRow> rows(String dir) throws Exception {
    Map<String, ProjectionRow> byKey = new HashMap<>();
    ReadBack.parquetRows(dir).forEach(g -> {
      ProjectionRow r = ProjectionRecords.fromAvro(g);
      assertTrue(byKey.put(ProjectionUpsert.key(r), r) == null, "one row per window: " + r);
    });
    return byKey;
  }

  /**
   * Reconciles a replay against its own projections read as a Parquet snapshot, its report written
   * to {@code report}: nothing drifts and every window is compared.
   */
  public static void reconcileAgainstItself(List<String> flags, String replay, String report, int windows)
      throws Exception {
    List<String> args = new ArrayList<>(flags);
    args.addAll(List.of("--replay=" + replay, "--live=" + replay + "/projections", "--report=" + report,
        "--kafkaEvidence=false"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Reconcile.Outcome outcome = Reconcile.run(Main.options(args.toArray(new String[0]), ReconcileOptions.class),
        new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals(0, outcome.exitCode, console.toString(StandardCharsets.UTF_8));
    assertEquals(windows, outcome.reconciliation.verdicts.size(), "every window compared");
  }
}
