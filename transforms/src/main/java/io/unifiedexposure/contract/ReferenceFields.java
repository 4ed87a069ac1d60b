package io.unifiedexposure.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads a JSON reference data record's fields by its contract's rules ({@link FieldChecks}, as
 * events are): one value per field in the contract's order (null where unusable), and every
 * problem, unexpected fields included. Each reference decoder then checks its own rules. Not
 * thread-safe (one per decoder).
 */
final class ReferenceFields {
  private final EventContract.FieldRule[] rules;
  private final Set<String> known = new HashSet<>();
  private final Set<String> matched = new HashSet<>();
  private final String contractName;

  ReferenceFields(EventContract contract, String contractName) {
    this.rules = contract.fields().values().toArray(new EventContract.FieldRule[0]);
    for (EventContract.FieldRule rule : rules) {
      known.add(rule.name);
    }
    this.contractName = contractName;
  }

  /** The field values, or null when the record is not a readable JSON object (its one problem added). */
  @Nullable Object[] read(RawRecord raw, List<Problem> problems) {
    if (raw.readProblem() != null) {
      problems.add(raw.readProblem());
      return null;
    }
    Problem[] problem = new Problem[1];
    String text = JsonPayloads.utf8(raw.payload(), problem);
    JsonNode root = text == null ? null : JsonPayloads.object(text, problem);
    if (root == null) {
      problems.add(problem[0]);
      return null;
    }
    Object[] values = new Object[rules.length];
    for (int i = 0; i < rules.length; i++) {
      values[i] = FieldChecks.read(rules[i], matched, root.get(rules[i].name), problems);
    }
    List<String> unexpected = new ArrayList<>();
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        unexpected.add(name);
      }
    }
    if (!unexpected.isEmpty()) {
      problems.add(Problem.ofRecord("unexpected_fields", "not in the " + contractName + " contract: " + unexpected));
    }
    return values;
  }

  /** The rule every reference version follows: 1 or more. */
  static void versionPositive(@Nullable Integer version, List<Problem> problems) {
    if (version != null && version < 1) {
      problems.add(Problem.of("version", "not_positive", version + "; versions start at 1"));
    }
  }

  /** A reference value in the reporting currency must be in the one the graph is configured with. */
  static void reportingCurrency(@Nullable String reporting, String configured, List<Problem> problems) {
    if (reporting != null && !reporting.equals(configured)) {
      problems.add(
          Problem.of("reporting_currency", "not_configured", "'" + reporting + "'; this graph reports in " + configured));
    }
  }
}
