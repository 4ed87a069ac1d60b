package io.unifiedexposure.pipelines;

import java.util.ArrayList;
import java.util.List;

/**
 * A failed job's exception as one line a person reads: why the runner gave up (Flink's "Recovery is
 * suppressed by …" when the restart budget is spent) and the root cause, without the stack.
 */
public final class JobFailures {
  private JobFailures() {}

  public static String describe(Throwable failure) {
    List<String> parts = new ArrayList<>();
    Throwable root = failure;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      String m = firstLine(t.getMessage());
      if (m.startsWith("Recovery is suppressed by")) {
        parts.add("no restarts left (" + m.replaceFirst("^Recovery is suppressed by ", "") + ")");
      }
    }
    parts.add(root.getClass().getSimpleName() + (firstLine(root.getMessage()).isEmpty() ? "" : ": " + firstLine(root.getMessage())));
    return String.join("; ", parts);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }
}
