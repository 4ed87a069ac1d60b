package io.unifiedexposure.tools.bench;

import io.unifiedexposure.graph.ExposureOptions;
import io.unifiedexposure.pipelines.RunnerDefaults;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * The benchmark's knobs. Graph settings (--windowSize, --earlyFiringDelay, ...) apply to every job.
 * Names differ from the demo's (--benchDir, --dataSeed) because options of one name share one default.
 */
public interface BenchOptions extends ExposureOptions {
  @Description("Where generated archives, replay outputs and the broker log go; emptied at each run if a bench made it, a non-empty directory of anything else is refused.")
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

  @Description("Records loaded into the live part's 8-partition topic and read by each live setup; 0 skips the live part.")
  @Default.Integer(2_000_000)
  int getLiveEvents();

  void setLiveEvents(int value);

  @Description("Live setups measured in steady state, comma-separated: DirectRunner or"
      + " FlinkRunner/p<parallelism>/<heap|rocksdb>, optionally ending in /precombine=<ISO duration>;"
      + " a setup listed twice runs twice.")
  @Default.String("FlinkRunner/p1/heap,FlinkRunner/p2/heap,FlinkRunner/p1/rocksdb,FlinkRunner/p2/rocksdb,DirectRunner")
  String getLiveSetups();

  void setLiveSetups(String value);

  @Description("Most seconds one live setup runs; a setup that has not read 80% of the records by then is"
      + " measured from a third of this to its end.")
  @Default.Integer(240)
  int getLiveSetupSeconds();

  void setLiveSetupSeconds(int value);

  @Description("FlinkRunner's checkpoint interval in the live part, ms (offsets are committed at checkpoints);"
      + " the live launcher's default.")
  @Default.Long(RunnerDefaults.LIVE_CHECKPOINT_MILLIS)
  long getLiveCheckpointMillis();

  void setLiveCheckpointMillis(long value);

  @Description("Whether the live job publishes exactly once (output waits for checkpoints) or at least once (its default).")
  @Default.Boolean(false)
  boolean getLiveExactlyOnce();

  void setLiveExactlyOnce(boolean value);

  @Description("Whether the live job's outputs wait for the checkpoint (its default) or are published at once.")
  @Default.Boolean(true)
  boolean getLivePublishAfterCheckpoint();

  void setLivePublishAfterCheckpoint(boolean value);

  @Description("The live setup the early-pane latency is measured on.")
  @Default.String("FlinkRunner/p2/heap")
  String getLatencySetup();

  void setLatencySetup(String value);

  @Description("Output modes the latency is measured in, comma-separated: held (after the checkpoint, the"
      + " live job's default) and/or immediate (--publishAfterCheckpoint=false).")
  @Default.String("held,immediate")
  String getLatencyOutputs();

  void setLatencyOutputs(String value);

  @Description("New windows per second the latency probe opens, comma-separated; each rate runs --latencySeconds.")
  @Default.String("500,1000,2000")
  String getLatencyRates();

  void setLatencyRates(String value);

  @Description("How long the early-pane latency probe sends new facts at each rate, in seconds.")
  @Default.Integer(20)
  int getLatencySeconds();

  void setLatencySeconds(int value);

  @Description("Seed of the generated data.")
  @Default.Long(5)
  long getDataSeed();

  void setDataSeed(long value);
}
