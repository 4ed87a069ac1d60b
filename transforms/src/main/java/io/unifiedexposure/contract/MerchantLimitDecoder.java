package io.unifiedexposure.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Decodes one JSON merchant limit record ({@code merchant_limit_v1.avsc}) into a {@link
 * MerchantLimit}, or every way it breaks the contract: each field by the contract's rules, then a
 * limit of 0 or more, a version of 1 or more, and the reporting currency the graph works in. Never
 * throws for bad input.
 */
public final class MerchantLimitDecoder {
  private final ReferenceFields fields = new ReferenceFields(ReferenceContracts.merchantLimit(), "merchant limit");
  private final String reportingCurrency;

  /** A decoder for limits in {@code reportingCurrency}; not thread-safe (one per DoFn instance). */
  public MerchantLimitDecoder(String reportingCurrency) {
    this.reportingCurrency = reportingCurrency;
  }

  /** A limit, or the problems (never both). */
  public static final class Result {
    public final @Nullable MerchantLimit limit;
    public final List<Problem> problems;

    private Result(@Nullable MerchantLimit limit, List<Problem> problems) {
      this.limit = limit;
      this.problems = problems;
    }

    public boolean isValid() {
      return limit != null;
    }
  }

  public Result decode(RawRecord raw) {
    List<Problem> problems = new ArrayList<>();
    Object[] values = fields.read(raw, problems);
    if (values == null) {
      return new Result(null, Collections.unmodifiableList(problems));
    }
    String merchant = (String) values[0];
    String reporting = (String) values[1];
    Instant effectiveFrom = (Instant) values[2];
    Long limit = (Long) values[3];
    Integer version = (Integer) values[4];
    if (limit != null && limit < 0) {
      problems.add(Problem.of("limit_minor", "negative", limit + "; a limit is 0 or more"));
    }
    ReferenceFields.versionPositive(version, problems);
    ReferenceFields.reportingCurrency(reporting, reportingCurrency, problems);
    if (!problems.isEmpty()) {
      return new Result(null, Collections.unmodifiableList(problems));
    }
    return new Result(
        MerchantLimit.of(merchant, reporting, effectiveFrom.getMillis(), limit, version, raw.source(), raw.receivedAtMillis()),
        Collections.emptyList());
  }
}
