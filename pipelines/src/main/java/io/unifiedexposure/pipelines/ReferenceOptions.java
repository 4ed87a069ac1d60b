package io.unifiedexposure.pipelines;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where the reference data archive is: what the live job writes and a replay reads. */
public interface ReferenceOptions extends PipelineOptions {
  @Description("The reference data archive (FX rates under fx_rates/dt=YYYY-MM-DD/): the live job archives the"
      + " rates it read there, a replay reads them back. Default: beside --archive, as <archive>-reference.")
  String getReferenceArchive();

  void setReferenceArchive(String value);

  /** {@code --referenceArchive}, or the folder beside {@code archive} named {@code <archive>-reference}. */
  static String referenceArchive(ReferenceOptions options, String archive) {
    String given = options.getReferenceArchive();
    if (given != null && !given.isBlank()) {
      return PathFlags.outputDirectory("referenceArchive", given).replaceAll("/+$", "");
    }
    return archive.replaceAll("/+$", "") + "-reference";
  }
}
