package io.unifiedexposure.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Flink 1.19 session cluster for the end-to-end tests: a JobManager and TaskManagers, each its
 * own JVM, started from the Flink jars of the build without Beam, our code or the IO libraries on
 * their classpath (so a job's code can only arrive in the submitted jar), configured by {@code
 * runners-config/flink/cluster/flink-conf.yaml}, each in a working directory of its own. Logs are
 * kept under {@code target/<name>-logs} when the cluster closes.
 */
final class StandaloneCluster implements AutoCloseable {
  static final Path JAR = Path.of("../pipelines/target/unified-exposure-bundled.jar").toAbsolutePath();
  static final Path CONF = Path.of("../runners-config/flink/cluster").toAbsolutePath();
  private static final List<String> OPENS =
      Arrays.stream(new String[] {"java.lang", "java.util", "java.nio", "java.lang.reflect", "java.io",
              "java.net", "sun.nio.ch", "java.time"})
          .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
          .collect(Collectors.toList());
  private static final List<String> NOT_FLINK =
      List.of("/org/apache/beam/", "/io/unifiedexposure/", "/target/", "/org/apache/kafka/", "/org/apache/parquet/",
          "/org/apache/avro/", "/org/apache/hadoop/", "junit", "hamcrest", "opentest4j", "apiguardian", "surefire",
          // The embedded broker's libraries (Jackson modules, Scala): Flink uses its own shaded copies,
          // and a Jackson module on the cluster's classpath breaks the job's own Jackson.
          "/com/fasterxml/jackson/", "/org/scala-lang/", "scala-logging");

  final Path dir;
  final int restPort;
  final String flinkClasspath;
  private final String name;
  private final List<String> ports;
  private final List<Process> processes = new ArrayList<>();
  private Process taskManager;
  private int taskManagers;

  private StandaloneCluster(String name, Path dir) throws IOException {
    this.name = name;
    this.dir = dir;
    this.flinkClasspath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> NOT_FLINK.stream().noneMatch(e::contains))
            .collect(Collectors.joining(File.pathSeparator));
    this.restPort = freePort();
    this.ports = List.of("-Drest.port=" + restPort, "-Djobmanager.rpc.port=" + freePort());
  }

  /** A JobManager and one TaskManager (2 slots), started and registered. */
  static StandaloneCluster start(String name, Path dir) throws Exception {
    assertTrue(Files.isRegularFile(JAR), "the bundled jar is built before this test: " + JAR);
    StandaloneCluster cluster = new StandaloneCluster(name, dir);
    assertTrue(cluster.flinkClasspath.contains("flink-runtime-1.19"), "the cluster runs Flink 1.19's own jars");
    cluster.processes.add(cluster.process("jobmanager", List.of("-Xmx768m"),
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"));
    cluster.startTaskManager();
    return cluster;
  }

  /** Starts a TaskManager and waits until it has registered. */
  void startTaskManager() throws Exception {
    Set<String> before = taskManagerIds();
    taskManagers++;
    taskManager = process("taskmanager-" + taskManagers,
        // As bin/taskmanager.sh derives them from runners-config/flink/cluster/flink-conf.yaml: heap =
        // framework + task heap; direct = framework + task off-heap + network (128 + 0 + 512).
        List.of("-Xmx1152m", "-XX:MaxDirectMemorySize=640m", "-XX:MaxMetaspaceSize=256m"),
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    processes.add(taskManager);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (before.containsAll(taskManagerIds())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no TaskManager registered in 90 s; " + tail("jobmanager") + tail("taskmanager-" + taskManagers));
      }
      Thread.sleep(500);
    }
  }

  /** Kills the running TaskManager with SIGKILL, as a lost machine would be, and waits until it is gone. */
  void killTaskManager() throws Exception {
    taskManager.destroyForcibly();
    assertTrue(taskManager.waitFor(30, TimeUnit.SECONDS), "the TaskManager died");
  }

  /** The name of the current TaskManager's log. */
  String taskManagerLog() {
    return "taskmanager-" + taskManagers;
  }

  /** The ids of the TaskManagers the JobManager lists (a killed one until its heartbeat times out). */
  private Set<String> taskManagerIds() {
    Set<String> ids = new HashSet<>();
    try {
      Matcher m = Pattern.compile("\\{\"id\":\"([^\"]+)\"").matcher(rest("GET", "/taskmanagers"));
      while (m.find()) {
        ids.add(m.group(1));
      }
    } catch (IOException | InterruptedException e) {
      // not up yet
    }
    return ids;
  }

  String overview() {
    try {
      return rest("GET", "/overview");
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  /** A call to the JobManager's REST API: the body of a GET, or status and body otherwise. */
  String rest(String method, String path) throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    return method.equals("GET") ? r.body() : r.statusCode() + " " + r.body();
  }

  int jobsFinished() {
    Matcher m = Pattern.compile("\"jobs-finished\":(\\d+)").matcher(overview());
    assertTrue(m.find(), "cluster overview readable: " + overview());
    return Integer.parseInt(m.group(1));
  }

  /** Ids of the jobs in a state, e.g. RUNNING. */
  List<String> jobs(String state) throws Exception {
    Matcher m = Pattern.compile("\\{\"id\":\"([0-9a-f]+)\",\"status\":\"" + state + "\"\\}").matcher(rest("GET", "/jobs"));
    List<String> ids = new ArrayList<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  /** Cancels what runs and waits until the slots are free again. */
  void cancelRunningJobs() throws Exception {
    List<String> running = jobs("RUNNING");
    List<String> answers = new ArrayList<>();
    for (String id : running) {
      answers.add(rest("PATCH", "/jobs/" + id + "?mode=cancel"));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!overview().contains("\"slots-available\":2") && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertTrue(overview().contains("\"jobs-running\":0"), "the live job was cancelled: " + overview()
        + "\njobs before: " + running + "\ncancel answers: " + answers + tail(taskManagerLog()));
  }

  /** Flink's command line ({@code CliFrontend}) with these arguments, as a command to {@link #run}. */
  List<String> flink(String... args) {
    List<String> cmd = java(flinkClasspath, List.of());
    cmd.add("org.apache.flink.client.cli.CliFrontend");
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  /** A java command on this JDK, with Flink's opens, the JVM arguments and (if given) a classpath. */
  static List<String> java(String classpath, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(OPENS);
    cmd.addAll(args);
    if (classpath != null) {
      cmd.addAll(List.of("-cp", classpath));
    }
    return cmd;
  }

  /** Runs a command in the cluster's directory, its output in {@code <name>.log}; its exit code. */
  int run(List<String> cmd, String log, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve(log + ".log").toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(log + " did not finish in 180 s; log: " + tail(log));
    }
    if (p.exitValue() != 0) {
      System.err.println(tail(log));
    }
    return p.exitValue();
  }

  /** The last 40 lines of a log in the cluster's directory. */
  String tail(String log) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(log + ".log"));
      return "\n--- " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private Process process(String log, List<String> jvm, String main) throws IOException {
    // Flink's working files (a TaskManager's copy of the 288 MB job jar among them) go below the
    // test's directory, which JUnit removes: a process killed by SIGKILL never deletes its own, and
    // the system temp directory filled up across runs.
    Path tmp = Files.createDirectories(dir.resolve("tmp-" + log));
    List<String> withTmp = new ArrayList<>(jvm);
    withTmp.add("-Djava.io.tmpdir=" + tmp);
    List<String> cmd = java(flinkClasspath, withTmp);
    cmd.add(main);
    cmd.addAll(List.of("--configDir", CONF.toString()));
    ports.forEach(d -> cmd.addAll(List.of("-D", d.substring(2))));
    // The cluster works in a directory of its own, as a real one would: relative paths given to a
    // launcher must not be resolved there.
    Path workDir = Files.createDirectories(dir.resolve("cluster-" + log));
    return new ProcessBuilder(cmd).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(dir.resolve(log + ".log").toFile()).start();
  }

  /** Stops every process and keeps the logs (the cluster's and the submissions') for a failed run. */
  @Override
  public void close() throws IOException {
    processes.forEach(Process::destroyForcibly);
    Path logs = Files.createDirectories(Path.of("target/" + name + "-logs"));
    try (var files = Files.list(dir)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).collect(Collectors.toList())) {
        Files.copy(log, logs.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
