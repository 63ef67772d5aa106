package io.sluice.service.internal;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Runs a command that SIGINT and SIGTERM end gracefully, the one way {@code run}, {@code backfill}
 * and {@code serve} stop: the signal runs the command's stop, waits for the command to return and
 * ends the process with the command's exit code. So a stop that committed a final checkpoint
 * exits 0, not the JVM's 130 or 143, and a service manager does not count it as a failure.
 */
public final class SignalStop {
  private SignalStop() {}

  /**
   * @param stop asks the command to end; runs on the JVM's shutdown thread, may block until the
   *     command stopped (bounded by the command's own stop timeout)
   * @param command the command; its return value is the exit code
   * @param streams flushed before the process ends on a signal
   */
  public static int run(Runnable stop, IntSupplier command, PrintStream... streams) {
    AtomicInteger exitCode = new AtomicInteger(1);
    CountDownLatch returned = new CountDownLatch(1);
    Thread onSignal = new Thread(() -> {
      stop.run();
      try {
        returned.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (PrintStream stream : streams) {
        stream.flush();
      }
      // Exit status of the JVM's shutdown after a signal is fixed to 128 + signal unless halted.
      Runtime.getRuntime().halt(exitCode.get());
    }, "sluice-shutdown");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      int code = command.getAsInt();
      exitCode.set(code);
      return code;
    } finally {
      returned.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the signal's hook is running: it ends the process with the exit code set above
      }
    }
  }
}
