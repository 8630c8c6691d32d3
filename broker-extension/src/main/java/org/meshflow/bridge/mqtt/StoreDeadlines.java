package org.meshflow.bridge.mqtt;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Fails every store Kafka has not answered within a fixed time, so that a held acknowledgement is
 * decided before HiveMQ's own timeout would send it. The producer's delivery timeout normally comes
 * first, but it starts only once a record reached the producer. Stores are watched in arrival order,
 * which is deadline order, so one timer needs to look only at the oldest ones (no timer per store).
 */
final class StoreDeadlines implements AutoCloseable {
  private record Watched(long deadline, CompletableFuture<?> store, String mapping) {}

  private final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();
  private final long limitNanos;
  private final String limit;
  private final Consumer<String> expired;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    final var t = new Thread(r, "meshflow-bridge-store-deadlines");
    t.setDaemon(true);
    return t;
  });

  /** @param expired told the mapping of each store that ran out of time */
  StoreDeadlines(Duration limit, Duration checkEvery, Consumer<String> expired) {
    this.expired = expired;
    this.limitNanos = limit.toNanos();
    this.limit = limit.toMillis() + " ms";
    timer.scheduleWithFixedDelay(this::expire, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** {@code store} fails with a timeout unless it completes within the limit from now. */
  <T> CompletableFuture<T> watch(CompletableFuture<T> store, String mapping) {
    watched.offer(new Watched(System.nanoTime() + limitNanos, store, mapping));
    return store;
  }

  void expire() {
    final long now = System.nanoTime();
    for (var oldest = watched.peek(); oldest != null; oldest = watched.peek()) {
      if (!oldest.store().isDone() && oldest.deadline() - now > 0) {
        return;
      }
      watched.poll();
      if (oldest.store().completeExceptionally(new TimeoutException("Kafka did not answer within " + limit))) {
        expired.accept(oldest.mapping());
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
