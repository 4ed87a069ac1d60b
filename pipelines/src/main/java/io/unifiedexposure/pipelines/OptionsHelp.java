package io.unifiedexposure.pipelines;

import io.unifiedexposure.pipelines.storage.StorageOptions;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.hdfs.HadoopFileSystemOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A command's {@code --help}: the flags its users set, grouped by the option interfaces of this
 * product, then the runner's that matter to a Flink user (master, parallelism, checkpoints, state,
 * restarts). Not Beam's internals ({@code optionsId}, {@code userAgent}, ...): every other Beam or
 * Flink flag is still accepted, as Beam documents it.
 */
final class OptionsHelp {
  /** The runner flags a user of these commands sets, in the order a newcomer needs them. */
  private static final List<String> RUNNER_FLAGS = List.of(
      "flinkMaster", "parallelism", "checkpointingInterval", "checkpointingMode", "minPauseBetweenCheckpoints",
      "checkpointTimeoutMillis", "stateBackend", "stateBackendStoragePath", "savepointPath",
      "numberOfExecutionRetries", "executionRetryDelay", "flinkConfDir");

  /** Beam's S3 flags a user of s3:// paths sets (credentials otherwise come from the AWS chain). */
  private static final List<String> S3_FLAGS = List.of("awsRegion", "endpoint", "awsCredentialsProvider");

  private OptionsHelp() {}

  static void print(PrintStream out, Class<? extends PipelineOptions> type) {
    Set<Class<?>> ours = new LinkedHashSet<>();
    collect(type, ours);
    for (Class<?> iface : ours) {
      Map<String, Method> getters = new TreeMap<>();
      for (Method m : iface.getDeclaredMethods()) {
        if (isGetter(m) && m.getAnnotation(com.fasterxml.jackson.annotation.JsonIgnore.class) == null) {
          getters.put(flag(m), m);
        }
      }
      if (getters.isEmpty()) {
        continue;
      }
      out.println(iface.getSimpleName().replaceAll("Options$", "") + ":");
      getters.forEach((name, m) -> describe(out, name, m));
      out.println();
    }
    if (StorageOptions.class.isAssignableFrom(type)) {
      out.println("S3 (Beam's S3 file system, for s3:// paths):");
      for (String name : S3_FLAGS) {
        describe(out, name, getter(S3Options.class, name));
      }
      out.println();
      out.println("HDFS (Beam's Hadoop file system, for hdfs:// paths):");
      describe(out, "hdfsConfiguration", getter(HadoopFileSystemOptions.class, "hdfsConfiguration"));
      out.println();
    }
    out.println("Runner:");
    out.println("  --runner=<DirectRunner | FlinkRunner>");
    out.println("    Default: DirectRunner (in this process, for laptops and tests); FlinkRunner for production.");
    for (String name : RUNNER_FLAGS) {
      describe(out, name, getter(FlinkPipelineOptions.class, name));
    }
    out.println();
    out.println("Any other Beam or Flink runner flag is accepted too (see Beam's FlinkPipelineOptions).");
  }

  /** The product's own option interfaces, the command's first, then those it extends. */
  private static void collect(Class<?> iface, Set<Class<?>> ours) {
    if (iface.getName().startsWith("io.unifiedexposure.") && ours.add(iface)) {
      for (Class<?> parent : iface.getInterfaces()) {
        collect(parent, ours);
      }
    }
  }

  private static void describe(PrintStream out, String name, Method getter) {
    out.println("  --" + name + "=<" + getter.getReturnType().getSimpleName() + ">");
    String dflt = defaultOf(getter);
    if (dflt != null) {
      out.println("    Default: " + dflt);
    }
    Description d = getter.getAnnotation(Description.class);
    if (d != null) {
      for (String line : wrap(d.value(), 92)) {
        out.println("    " + line);
      }
    }
  }

  private static String defaultOf(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      return m.getAnnotation(Default.String.class).value();
    } else if (m.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    } else if (m.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    } else if (m.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    } else if (m.getAnnotation(Default.Enum.class) != null) {
      return m.getAnnotation(Default.Enum.class).value();
    }
    return null;
  }

  private static boolean isGetter(Method m) {
    return m.getParameterCount() == 0 && (m.getName().startsWith("get") || m.getName().startsWith("is"));
  }

  private static String flag(Method m) {
    String n = m.getName().startsWith("is") ? m.getName().substring(2) : m.getName().substring(3);
    return Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static Method getter(Class<?> type, String flag) {
    String suffix = Character.toUpperCase(flag.charAt(0)) + flag.substring(1);
    for (String prefix : List.of("get", "is")) {
      try {
        return type.getMethod(prefix + suffix);
      } catch (NoSuchMethodException next) {
        // try the other prefix
      }
    }
    throw new IllegalStateException("no option --" + flag + " in " + type.getSimpleName());
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() == 0 ? "" : " ").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
