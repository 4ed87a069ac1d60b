package io.unifiedexposure.graph.reference;

import io.unifiedexposure.contract.ConvertedRow;
import io.unifiedexposure.contract.MerchantLimit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What meets per merchant: a version of one of its limits, or one of its converted rows. */
final class MerchantInput {
  final @Nullable MerchantLimit limit;
  final @Nullable ConvertedRow day;

  private MerchantInput(@Nullable MerchantLimit limit, @Nullable ConvertedRow day) {
    this.limit = limit;
    this.day = day;
  }

  static MerchantInput limit(MerchantLimit limit) {
    return new MerchantInput(limit, null);
  }

  static MerchantInput day(ConvertedRow day) {
    return new MerchantInput(null, day);
  }

  static io.unifiedexposure.contract.VersionedFact<?> fact(MerchantInput in) {
    return in.limit;
  }

  static final class Coder extends AtomicCoder<MerchantInput> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(MerchantInput v, OutputStream out) throws IOException {
      if (v.limit != null) {
        out.write(0);
        MerchantLimit.coder().encode(v.limit, out);
      } else {
        out.write(1);
        ConvertedRow.coder().encode(v.day, out);
      }
    }

    @Override
    public MerchantInput decode(InputStream in) throws IOException {
      return in.read() == 0 ? limit(MerchantLimit.coder().decode(in)) : day(ConvertedRow.coder().decode(in));
    }
  }
}
