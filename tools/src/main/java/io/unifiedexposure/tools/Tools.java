package io.unifiedexposure.tools;

import io.unifiedexposure.pipelines.Main;
import io.unifiedexposure.pipelines.live.LiveOptions;
import io.unifiedexposure.tools.bench.Bench;
import io.unifiedexposure.tools.bench.BenchOptions;
import io.unifiedexposure.tools.demo.Demo;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The tools jar's entry point: {@code demo} and {@code bench}, with the production jar's argument
 * rules ({@code --flag=value}, {@code @file}); any other command is the production jar's ({@link
 * Main}), which this jar also holds.
 */
public final class Tools {
  private Tools() {}

  public static void main(String[] args) {
    System.exit(Main.exitCode(() -> run(args, System.out, System.err), System.err));
  }

  /** Runs a command; returns the process exit code. */
  public static int run(String[] rawArgs, PrintStream out, PrintStream err) throws Exception {
    String command = rawArgs.length == 0 ? "" : rawArgs[0];
    if (!command.equals("demo") && !command.equals("bench")) {
      return Main.run(rawArgs, out, err);
    }
    List<String> args;
    try {
      args = Main.expandArgFiles(Arrays.asList(rawArgs));
    } catch (IllegalArgumentException e) {
      err.println("exposure: " + e.getMessage());
      return 2;
    }
    String[] rest = args.subList(1, args.size()).toArray(new String[0]);
    boolean help = Arrays.asList(rest).contains("--help");
    try {
      if (command.equals("demo")) {
        // The demo's live job takes every live flag, so `demo @runners-config/<file>.args` runs it
        // with that file's settings (the demo still owns the broker, topics and archive).
        PipelineOptionsFactory.register(LiveOptions.class);
        return help
            ? Main.help(out, Demo.HELP, Demo.DemoOptions.class)
            : Demo.run(Main.options(rest, Demo.DemoOptions.class), out);
      }
      return help
          ? Main.help(out, Bench.HELP, BenchOptions.class)
          : Bench.run(Main.options(rest, BenchOptions.class), out);
    } catch (IllegalArgumentException e) {
      err.println("exposure " + command + ": " + Main.messageOf(e));
      return 2;
    }
  }
}
