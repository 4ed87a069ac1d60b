package io.unifiedexposure.tools.bench;

import io.unifiedexposure.graph.ExposureOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The benchmark's knobs. Graph settings (--windowSize, --earlyFiringDelay, ...) apply to every job.
 * Names differ from the demo's (--benchDir, --dataSeed) because options of one name share one default.
 */
public interface BenchOptions extends ExposureOptions {
  @Description("Where generated archives, replay outputs and the broker log go (recreated each run).")
  @Default.String("bench-output")
  String getBenchDir();

  void setBenchDir(String value);

  @Description("Records generated per merchant setting (about 5% of them identical duplicates).")
  @Default.Integer(5_000_000)
  int getEvents();

  void setEvents(int value);

  @Description("Merchant counts to run, comma-separated; each is a separate data set.")
  @Default.String("100,10000")
  String getMerchantCounts();

  void setMerchantCounts(String value);

  @Description("Days of event time the data covers.")
  @Default.Integer(30)
  int getDays();

  void setDays(int value);

  @Description("Runners the replay is measured on, comma-separated (DirectRunner, FlinkRunner).")
  @Default.String("FlinkRunner,DirectRunner")
  String getReplayRunners();

  void setReplayRunners(String value);

  @Description("Also run each replay runner's floor: the replay's archive reader and decoder alone, counted.")
  @Default.Boolean(true)
  boolean getFloor();

  void setFloor(boolean value);

  @Description("Records sent through the live job (embedded broker); 0 skips the live part.")
  @Default.Integer(200_000)
  int getLiveEvents();

  void setLiveEvents(int value);

  @Description("Runner of the live job: DirectRunner or FlinkRunner.")
  @Default.String("DirectRunner")
  String getLiveRunner();

  void setLiveRunner(String value);

  @Description("Whether the live job publishes exactly once (output waits for checkpoints) or at least once (its default).")
  @Default.Boolean(false)
  boolean getLiveExactlyOnce();

  void setLiveExactlyOnce(boolean value);

  @Description("Whether the live job's outputs wait for the checkpoint (its default) or are published at once.")
  @Default.Boolean(true)
  boolean getLivePublishAfterCheckpoint();

  void setLivePublishAfterCheckpoint(boolean value);

  @Description("How long the early-pane latency probe sends new facts, in seconds.")
  @Default.Integer(20)
  int getLatencySeconds();

  void setLatencySeconds(int value);

  @Description(
      "Facts per second the latency probe sends; 0 means half the live job's measured rate, at most 1,000.")
  @Default.Integer(0)
  int getLatencyRate();

  void setLatencyRate(int value);

  @Description("Seed of the generated data.")
  @Default.Long(5)
  long getDataSeed();

  void setDataSeed(long value);
}
