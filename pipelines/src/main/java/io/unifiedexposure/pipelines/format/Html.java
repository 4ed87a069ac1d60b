package io.unifiedexposure.pipelines.format;

/** What the self-contained HTML reports (reconcile, explain) share. */
public final class Html {
  private Html() {}

  /** Text made safe inside an element or a quoted attribute. */
  public static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
