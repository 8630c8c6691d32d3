package org.meshflow.jobs.common;

import java.util.OptionalLong;

/** How far a job's consumer is behind the end of one of its input partitions, as the consumer last saw it. */
@FunctionalInterface
public interface InputLag {
  /** Every partition at its end: for drivers that hand a job all there is (topology tests, benchmarks). */
  InputLag DRAINED = (topic, partition) -> OptionalLong.of(0);

  /**
   * Records between the consumer's position and the partition's end (the last stable offset when
   * reading committed records only); empty while not known, e.g. before the partition's first fetch.
   */
  OptionalLong of(String topic, int partition);
}
