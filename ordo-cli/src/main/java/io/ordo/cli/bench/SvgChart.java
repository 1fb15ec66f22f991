package io.ordo.cli.bench;

import java.util.List;
import java.util.Locale;

/** A line chart as inline SVG: one x axis (seconds), one y axis, a few named series. */
final class SvgChart {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 260;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;

  /** One line of the chart. */
  record Series(String name, String colour, double[] values) {}

  private SvgChart() {}

  static String render(String title, String unit, double[] xs, List<Series> series) {
    double maxX = 0;
    for (double x : xs) {
      maxX = Math.max(maxX, x);
    }
    double maxY = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        maxY = Math.max(maxY, v);
      }
    }
    maxX = maxX == 0 ? 1 : maxX;
    maxY = niceCeiling(maxY);
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " role=\"img\" aria-label=\"%s\">%n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            Html.escape(title)));
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
            LEFT,
            Html.escape(title + " (" + unit + ")")));
    for (int i = 0; i <= 4; i++) {
      double v = maxY * i / 4;
      double y = TOP + plotH - plotH * i / 4.0;
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
              LEFT,
              y,
              LEFT + plotW,
              y,
              LEFT - 6,
              y + 4,
              label(v)));
    }
    for (int i = 0; i <= 4; i++) {
      double x = LEFT + plotW * i / 4.0;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s s</text>%n",
              x,
              HEIGHT - BOTTOM + 16,
              label(maxX * i / 4)));
    }
    int legendX = LEFT + plotW - 150 * series.size();
    for (int s = 0; s < series.size(); s++) {
      Series one = series.get(s);
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < xs.length && i < one.values().length; i++) {
        points.append(
            String.format(
                Locale.ROOT,
                "%.1f,%.1f ",
                LEFT + plotW * xs[i] / maxX,
                TOP + plotH - plotH * one.values()[i] / maxY));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
              one.colour(),
              points.toString().strip()));
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n",
              legendX + 150 * s,
              HEIGHT - 10,
              one.colour(),
              legendX + 150 * s + 16,
              HEIGHT - 5,
              Html.escape(one.name())));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n",
            LEFT,
            TOP,
            plotW,
            plotH));
    return b.append("</svg>\n").toString();
  }

  // 1, 2 or 5 times a power of ten, so the grid lines fall on round values
  static double niceCeiling(double v) {
    if (v <= 0) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= v) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static String label(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? String.format(Locale.ROOT, "%,d", (long) v)
        : String.format(Locale.ROOT, "%.2f", v);
  }
}
