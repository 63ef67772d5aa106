package io.sluice.engine.internal;

import io.sluice.engine.internal.checkpoint.PendingCommits;
import io.sluice.engine.sink.CommittableSerializer;
import io.sluice.engine.sink.GlobalCommitter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sinks' global committers on a thread of their own, strictly in checkpoint order, and
 * reports each outcome back as an event: a slow or retrying commit never blocks the attempt's loop
 * (failure detection, stop, checkpoint timeouts). After a failure nothing later is committed; the
 * attempt fails and the restore re-commits.
 *
 * <p>On restore, {@link #redo} first re-commits what the restored checkpoint holds (the commits
 * pending when it completed, then its own; committers skip what is already published), then lets
 * each committer discard what writers produced after it.
 */
final class CommitCoordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommitCoordinator.class);

  /** A sink's committer and the serializer of its committables. */
  record SinkCommitter(
      String sinkId, GlobalCommitter<Object> committer, CommittableSerializer<Object> serializer) {}

  /** What the committer thread reports. */
  sealed interface Outcome {
    record Committed(long checkpointId, long records) implements Outcome {}

    record Failed(long checkpointId, Throwable cause) implements Outcome {}
  }

  private final List<SinkCommitter> sinks;
  private final Consumer<Outcome> outcomes;
  private final ExecutorService thread;
  private final AtomicInteger queued = new AtomicInteger();
  private volatile boolean failed;

  CommitCoordinator(String pipelineId, List<SinkCommitter> sinks, Consumer<Outcome> outcomes) {
    this.sinks = sinks;
    this.outcomes = outcomes;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-" + pipelineId + "-committer");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Re-commits a restored checkpoint's commits, oldest first, then discards what came after it;
   * each re-commit is reported like any commit. The future completes when all is done.
   */
  Future<?> redo(Map<String, List<PendingCommits.Commit>> bySink, long restoredCheckpointId) {
    return thread.submit(
        () -> {
          TreeMap<Long, Long> records = new TreeMap<>();
          for (SinkCommitter sink : sinks) {
            for (PendingCommits.Commit c : bySink.getOrDefault(sink.sinkId(), List.of())) {
              LOG.info(
                  "re-committing checkpoint {} of sink {} ({} committables)",
                  c.checkpointId(), sink.sinkId(), c.committables().size());
              sink.committer().commit(c.checkpointId(), deserialize(sink, c.committables()));
              records.merge(c.checkpointId(), c.records(), Long::sum);
            }
          }
          for (SinkCommitter sink : sinks) {
            sink.committer().discardUncommitted(restoredCheckpointId);
          }
          records.forEach((id, n) -> outcomes.accept(new Outcome.Committed(id, n)));
          return null;
        });
  }

  /** Queues the commit of checkpoint {@code checkpointId}; its outcome comes as an event. */
  void submit(long checkpointId, Map<String, PendingCommits.Commit> commits, long records) {
    queued.incrementAndGet();
    thread.execute(
        () -> {
          try {
            if (failed) {
              return;
            }
            for (SinkCommitter sink : sinks) {
              PendingCommits.Commit c = commits.get(sink.sinkId());
              if (c != null) {
                sink.committer().commit(checkpointId, deserialize(sink, c.committables()));
              }
            }
            outcomes.accept(new Outcome.Committed(checkpointId, records));
          } catch (Throwable t) {
            failed = true;
            if (t instanceof InterruptedException) {
              Thread.currentThread().interrupt();
            }
            outcomes.accept(new Outcome.Failed(checkpointId, t));
          } finally {
            queued.decrementAndGet();
          }
        });
  }

  /** Commits submitted and not yet done. */
  int queued() {
    return queued.get();
  }

  private static List<Object> deserialize(SinkCommitter sink, List<byte[]> bytes)
      throws IOException {
    List<Object> out = new ArrayList<>(bytes.size());
    for (byte[] b : bytes) {
      out.add(sink.serializer().deserialize(b));
    }
    return out;
  }

  /**
   * Lets a commit in progress finish for up to {@code graceMillis} (a restore would redo it
   * anyway), then interrupts it and closes the committers.
   */
  void close(long graceMillis) {
    failed = true;
    thread.shutdown();
    try {
      if (!thread.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
        LOG.warn("a commit still runs after {} ms; interrupting it", graceMillis);
        thread.shutdownNow();
        thread.awaitTermination(graceMillis, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    for (SinkCommitter sink : sinks) {
      try {
        sink.committer().close();
      } catch (Throwable t) {
        LOG.warn("closing the committer of sink {} failed", sink.sinkId(), t);
      }
    }
  }

  /** Closes with a short grace: an interrupted commit is redone by the next restore. */
  @Override
  public void close() {
    close(2_000);
  }
}
