package io.sluice.catalogserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Faults a {@link CatalogServer} injects into its Unity Catalog API (never into the admin
 * endpoint), for tests. Thread-safe; the same faults can be set by a child process through {@code
 * POST /sluice-admin/faults} (see {@link CatalogServer}).
 *
 * <ul>
 *   <li>{@link #failRequests}: every API request is answered with an HTTP status for a while (the
 *       catalog is down or overloaded);
 *   <li>{@link #rejectCommits}: the next commit requests are answered with a status without being
 *       looked at, e.g. 429 "too many unpublished commits";
 *   <li>{@link #dropResponsesAfterAccept}: the next commits are ratified, then the connection is
 *       closed without an answer (the response is lost);
 *   <li>{@link #holdResponsesAfterAccept}: like dropping, but the answer is held until {@link
 *       #releaseHeld} (so a test can act, or kill the client, while the commit is ratified and
 *       unanswered), then dropped;
 *   <li>{@link #delayRequests}: every API request waits before it is handled.
 * </ul>
 */
public final class Faults {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int failStatus;
  private long failUntilNanos;
  private final List<Integer> commitRejections = new ArrayList<>();
  private int responsesToDrop;
  private int responsesToHold;
  private int held;
  private long releasedGeneration;
  private Duration delay = Duration.ZERO;
  private long delayUntilNanos;

  /** Answers every API request with {@code status} (e.g. 503) for {@code period}. */
  public void failRequests(int status, Duration period) {
    lock.lock();
    try {
      failStatus = status;
      failUntilNanos = System.nanoTime() + period.toNanos();
    } finally {
      lock.unlock();
    }
  }

  /** Answers the next {@code times} commit requests with {@code status}, ratifying nothing. */
  public void rejectCommits(int status, int times) {
    lock.lock();
    try {
      for (int i = 0; i < times; i++) {
        commitRejections.add(status);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Ratifies the next {@code times} commits, then closes their connections unanswered. */
  public void dropResponsesAfterAccept(int times) {
    lock.lock();
    try {
      responsesToDrop += times;
    } finally {
      lock.unlock();
    }
  }

  /** Ratifies the next {@code times} commits and holds their answers until {@link #releaseHeld}. */
  public void holdResponsesAfterAccept(int times) {
    lock.lock();
    try {
      responsesToHold += times;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until {@code count} ratified commits are held; false if the timeout passed first. */
  public boolean awaitHeld(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (held < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** How many ratified commits wait for {@link #releaseHeld}. */
  public int held() {
    lock.lock();
    try {
      return held;
    } finally {
      lock.unlock();
    }
  }

  /** Lets every held answer go (its connection is then closed unanswered). */
  public void releaseHeld() {
    lock.lock();
    try {
      releasedGeneration++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Delays every API request by {@code delay} for {@code period}. */
  public void delayRequests(Duration delay, Duration period) {
    lock.lock();
    try {
      this.delay = delay;
      delayUntilNanos = System.nanoTime() + period.toNanos();
    } finally {
      lock.unlock();
    }
  }

  /** Removes every fault and releases held answers. */
  public void clear() {
    lock.lock();
    try {
      failUntilNanos = System.nanoTime();
      commitRejections.clear();
      responsesToDrop = 0;
      responsesToHold = 0;
      delayUntilNanos = System.nanoTime();
      releasedGeneration++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The status to answer an API request with instead of handling it, after any delay. */
  Optional<Integer> beforeRequest(boolean isCommit) throws InterruptedException {
    Duration wait;
    lock.lock();
    try {
      long now = System.nanoTime();
      if (now - failUntilNanos < 0) {
        return Optional.of(failStatus);
      }
      if (isCommit && !commitRejections.isEmpty()) {
        return Optional.of(commitRejections.remove(0));
      }
      wait = now - delayUntilNanos < 0 ? delay : Duration.ZERO;
    } finally {
      lock.unlock();
    }
    if (!wait.isZero()) {
      TimeUnit.NANOSECONDS.sleep(wait.toNanos()); // the injected fault is the wait itself
    }
    return Optional.empty();
  }

  /** Whether a just ratified commit's answer is lost; a held one returns once released. */
  boolean loseAnswerAfterAccept() throws InterruptedException {
    lock.lock();
    try {
      if (responsesToHold > 0) {
        responsesToHold--;
        hold();
        return true;
      }
      if (responsesToDrop > 0) {
        responsesToDrop--;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Blocks a ratified commit's answer until {@link #releaseHeld} or {@link #clear}. */
  private void hold() throws InterruptedException {
    lock.lock(); // reentrant: called with the lock held
    try {
      long generation = releasedGeneration;
      held++;
      changed.signalAll();
      try {
        while (releasedGeneration == generation) {
          changed.await();
        }
      } finally {
        held--;
      }
    } finally {
      lock.unlock();
    }
  }
}
