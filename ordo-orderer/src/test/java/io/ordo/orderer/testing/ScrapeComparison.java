package io.ordo.orderer.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Ordo's metric families against Fabric's: each of Fabric's that Ordo must have, with the same
 * type, label names and buckets, and none of Ordo's own that is not allowed. It compares families
 * however they were read ({@link MetricFamilies}): the default test suite compares a scrape of Ordo
 * with the list recorded from Fabric's orderer, and a side-by-side test that runs both orderers can
 * give it two live scrapes.
 *
 * @param fabricOnly Fabric's families Ordo is not expected to have (the Go runtime's, or one that
 *     only an event the run did not cause would show)
 * @param ordoOnly Ordo's families Fabric does not have that are allowed (the JVM's)
 */
public record ScrapeComparison(Predicate<MetricFamily> fabricOnly, Predicate<String> ordoOnly) {

  /** Each difference in a sentence; empty when Ordo's exposition reads as Fabric's. */
  public List<String> differences(
      Map<String, MetricFamily> fabric, Map<String, MetricFamily> ordo) {
    List<String> out = new ArrayList<>();
    fabric.forEach(
        (name, f) -> {
          MetricFamily o = ordo.get(name);
          if (o == null) {
            if (!fabricOnly.test(f)) {
              out.add(name + ": Fabric's " + f.type() + " is missing");
            }
            return;
          }
          if (!o.type().equals(f.type())) {
            out.add(name + ": a " + o.type() + ", Fabric's is a " + f.type());
          }
          if (!o.labels().equals(f.labels())) {
            out.add(name + ": labels " + o.labels() + ", Fabric's " + f.labels());
          }
          if (!o.buckets().equals(f.buckets())) {
            out.add(name + ": buckets " + o.buckets() + ", Fabric's " + f.buckets());
          }
        });
    ordo.keySet().stream()
        .filter(name -> !fabric.containsKey(name) && !ordoOnly.test(name))
        .forEach(name -> out.add(name + ": Ordo's " + ordo.get(name).type() + " is not Fabric's"));
    return out;
  }
}
