package io.unifiedexposure.contract;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decodes one JSON FX rate record ({@code fx_rate_v1.avsc}) into an {@link FxRate}, or every way it
 * breaks the contract: each field by the contract's rules ({@link FieldChecks}, as events are), then
 * a real calendar day, a positive rate, a version of 1 or more, and the reporting currency the graph
 * converts to. Never throws for bad input.
 */
public final class FxRateDecoder {
  private final ReferenceFields fields = new ReferenceFields(ReferenceContracts.fxRate(), "FX rate");
  private final String reportingCurrency;

  /** A decoder for rates to {@code reportingCurrency}; not thread-safe (one per DoFn instance). */
  public FxRateDecoder(String reportingCurrency) {
    this.reportingCurrency = reportingCurrency;
  }

  /** A rate, or the problems (never both). */
  public static final class Result {
    public final @Nullable FxRate rate;
    public final List<Problem> problems;

    private Result(@Nullable FxRate rate, List<Problem> problems) {
      this.rate = rate;
      this.problems = problems;
    }

    public boolean isValid() {
      return rate != null;
    }
  }

  public Result decode(RawRecord raw) {
    List<Problem> problems = new ArrayList<>();
    Object[] values = fields.read(raw, problems);
    if (values == null) {
      return new Result(null, Collections.unmodifiableList(problems));
    }
    String currency = (String) values[0];
    String reporting = (String) values[1];
    Long day = dayStart((String) values[2], problems);
    BigDecimal rate = positive((String) values[3], problems);
    Integer version = (Integer) values[4];
    ReferenceFields.versionPositive(version, problems);
    if (currency != null && currency.equals(reporting)) {
      problems.add(Problem.of("currency", "same_as_reporting", "'" + currency + "' needs no rate to itself"));
    }
    ReferenceFields.reportingCurrency(reporting, reportingCurrency, problems);
    if (!problems.isEmpty()) {
      return new Result(null, Collections.unmodifiableList(problems));
    }
    return new Result(
        FxRate.of(currency, reporting, day, rate, version, raw.source(), raw.receivedAtMillis()),
        Collections.emptyList());
  }

  private static @Nullable Long dayStart(@Nullable String day, List<Problem> problems) {
    if (day == null) {
      return null;
    }
    try {
      return FxRate.dayStart(day);
    } catch (DateTimeException e) {
      problems.add(Problem.of("day", "bad_date", "'" + day + "' is not a calendar day"));
      return null;
    }
  }

  private static @Nullable BigDecimal positive(@Nullable String rate, List<Problem> problems) {
    if (rate == null) {
      return null;
    }
    BigDecimal value = new BigDecimal(rate); // the pattern admits only plain decimals
    if (value.signum() <= 0) {
      problems.add(Problem.of("rate", "not_positive", "'" + rate + "'; a rate converts, it cannot be zero"));
      return null;
    }
    return value;
  }
}
