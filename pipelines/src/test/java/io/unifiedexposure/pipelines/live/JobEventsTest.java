package io.unifiedexposure.pipelines.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flink's REST answers as the console lines a live job's watch prints, each event once. */
class JobEventsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void aFailedCheckpointIsOneLineWithItsReasonAndARestoreIsOneLine() throws Exception {
    JobEvents events = new JobEvents();
    assertEquals(List.of(), events.checkpoints(json(
        "{'counts':{'restored':0,'completed':3,'failed':0},'latest':{'completed':{'id':3,'state_size':4096}}}")));
    JsonNode failed = json("{'counts':{'restored':0,'completed':3,'failed':1},'latest':{'failed':{'id':4,"
        + "'failure_message':'Size of the state is larger than the maximum permitted memory-backed state.\\nat x'}}}");
    assertEquals(
        List.of("checkpoint 4 failed (1 failed so far): Size of the state is larger than the maximum permitted memory-backed state."),
        events.checkpoints(failed));
    assertEquals(List.of(), events.checkpoints(failed), "reported once");
    assertEquals(List.of("restored from checkpoint 3"), events.checkpoints(json(
        "{'counts':{'restored':1,'completed':3,'failed':1},'latest':{'restored':{'id':3,'is_savepoint':false}}}")));
    assertTrue(events.summary().startsWith("3 checkpoints completed"), events.summary());
  }

  @Test
  void aCheckpointFlinkCouldNotStartSaysSoInsteadOfAnIdAndNoReason() throws Exception {
    JobEvents events = new JobEvents();
    assertEquals(
        List.of("a checkpoint could not be started (1 failed so far; Flink keeps no reason for these, as when tasks"
            + " are still starting); the next is tried at the interval"),
        events.checkpoints(json("{'counts':{'restored':0,'completed':0,'failed':1},'latest':{'failed':null}}")));
  }

  @Test
  void eachFailureThatRestartedTheJobIsOneLineOldestFirstAndOnlyOnce() throws Exception {
    JobEvents events = new JobEvents();
    JsonNode two = json("{'exceptionHistory':{'entries':["
        + "{'timestamp':200,'taskName':'DedupFacts (1/2)','stacktrace':'java.io.IOException: disk full\\n\\tat a.b'},"
        + "{'timestamp':100,'taskName':null,'exceptionName':'org.apache.flink.runtime.JobException'}]}}");
    assertEquals(
        List.of("failure: org.apache.flink.runtime.JobException",
            "failure in DedupFacts (1/2): java.io.IOException: disk full"),
        events.failures(two));
    assertEquals(List.of(), events.failures(two), "reported once");
    assertEquals(List.of(), events.failures(json("{}")), "an unreadable answer reports nothing");
  }
}
