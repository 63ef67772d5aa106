package io.sluice.engine.internal.exchange;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The input side of a task fed by an exchange: one bounded FIFO per producer (channel) holding
 * {@link ChannelEvent}s. A producer blocks while its channel
 * holds {@code capacity} events: that is the backpressure. One lock per gate, taken once per event
 * (a batch of records), never per record.
 */
public final class InputGate {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition[] notFull;
  private final ArrayDeque<ChannelEvent>[] queues;
  private final int capacity;
  private boolean consumerWaiting;
  private boolean wakeup;
  private int nextChannel;
  private int lastChannel = -1;

  @SuppressWarnings("unchecked")
  public InputGate(int channels, int capacity) {
    if (channels < 1 || capacity < 1) {
      throw new IllegalArgumentException("channels and capacity must be at least 1");
    }
    this.capacity = capacity;
    this.queues = new ArrayDeque[channels];
    this.notFull = new Condition[channels];
    for (int i = 0; i < channels; i++) {
      queues[i] = new ArrayDeque<>(capacity);
      notFull[i] = lock.newCondition();
    }
  }

  public int channels() {
    return queues.length;
  }

  /** Appends an event to {@code channel}, blocking while the channel is full. */
  public void put(int channel, ChannelEvent event) throws InterruptedException {
    ArrayDeque<ChannelEvent> q = queues[channel];
    lock.lockInterruptibly();
    try {
      while (q.size() >= capacity) {
        notFull[channel].await();
      }
      q.addLast(event);
      if (consumerWaiting) {
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the next event from a channel that is not {@code blocked}, visiting channels round-robin
   * for fairness. Waits up to {@code timeoutNanos} when none is available; returns null on timeout
   * or after {@link #wakeup()}. {@link #lastChannel()} tells the channel of the returned event.
   */
  public ChannelEvent poll(boolean[] blocked, long timeoutNanos) throws InterruptedException {
    final int n = queues.length;
    lock.lockInterruptibly();
    try {
      while (true) {
        int ch = nextChannel;
        for (int i = 0; i < n; i++) {
          if (!blocked[ch] && !queues[ch].isEmpty()) {
            ChannelEvent event = queues[ch].pollFirst();
            notFull[ch].signal();
            lastChannel = ch;
            nextChannel = ch + 1 == n ? 0 : ch + 1;
            return event;
          }
          ch = ch + 1 == n ? 0 : ch + 1;
        }
        if (wakeup) {
          wakeup = false;
          return null;
        }
        if (timeoutNanos <= 0) {
          return null;
        }
        consumerWaiting = true;
        try {
          timeoutNanos = notEmpty.awaitNanos(timeoutNanos);
        } finally {
          consumerWaiting = false;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The channel of the event the last {@link #poll} returned. */
  public int lastChannel() {
    return lastChannel;
  }

  /** Makes a waiting (or the next waiting) {@link #poll} return null, e.g. for mailbox actions. */
  public void wakeup() {
    lock.lock();
    try {
      wakeup = true;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Events queued in {@code channel} (for tests and metrics). */
  public int queued(int channel) {
    lock.lock();
    try {
      return queues[channel].size();
    } finally {
      lock.unlock();
    }
  }
}
