package io.unifiedexposure.pipelines;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A flag given again later on the command line replaces the earlier value, so a value from an
 * {@code @args} file can be overridden: {@code @runners-config/flink-prod.args --parallelism=2}. Beam
 * itself refuses a single-valued flag given twice. Flags whose option is a list (e.g. {@code
 * --kafkaConfig}) keep every value, in order.
 */
final class LaterFlagsWin {
  private LaterFlagsWin() {}

  static List<String> apply(List<String> args, Class<? extends PipelineOptions> type) {
    Set<String> repeatable = repeatableFlags(type);
    Map<String, Integer> last = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = nameOf(args.get(i));
      if (name != null && !repeatable.contains(name)) {
        last.put(name, i);
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String name = nameOf(args.get(i));
      if (name == null || repeatable.contains(name) || last.get(name) == i) {
        out.add(args.get(i));
      }
    }
    return out;
  }

  /** {@code --name=value} or {@code --name} to {@code name}; anything else to null. */
  private static String nameOf(String arg) {
    if (!arg.startsWith("--") || arg.length() == 2) {
      return null;
    }
    int eq = arg.indexOf('=');
    return eq < 0 ? arg.substring(2) : arg.substring(2, eq);
  }

  /** Flags whose getter, in this command's options or any registered options, returns a list or an array. */
  private static Set<String> repeatableFlags(Class<? extends PipelineOptions> type) {
    Set<Class<?>> interfaces = new LinkedHashSet<>(PipelineOptionsFactory.getRegisteredOptions());
    interfaces.add(type);
    Set<String> names = new HashSet<>();
    for (Class<?> c : interfaces) {
      for (Method m : c.getMethods()) {
        String name = m.getName();
        boolean getter = m.getParameterCount() == 0 && name.startsWith("get") && name.length() > 3;
        if (getter
            && (m.getReturnType().isArray() || Collection.class.isAssignableFrom(m.getReturnType()))) {
          names.add(Character.toLowerCase(name.charAt(3)) + name.substring(4));
        }
      }
    }
    return names;
  }
}
