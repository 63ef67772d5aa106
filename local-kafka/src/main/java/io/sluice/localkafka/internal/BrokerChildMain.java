package io.sluice.localkafka.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The main class of the broker's child JVM. It uses only the JDK and reaches Kafka by reflection,
 * so the launcher's module compiles and runs without Kafka's server classes.
 *
 * <p>Usage: {@code BrokerChildMain <server.properties> <clusterId>}. It formats the storage
 * directories when they are not formatted yet ({@code kafka.tools.StorageTool format
 * --ignore-formatted}), then runs {@code kafka.Kafka} (a KRaft combined broker and controller).
 *
 * <p>The process exits when its stdin reaches end of file: the parent closes the pipe to stop the
 * broker, and a parent killed by SIGKILL closes it too, so no broker outlives its parent. Exit runs
 * Kafka's shutdown hook (a clean shutdown); a watchdog halts the JVM if that hangs.
 */
public final class BrokerChildMain {
  /** Longest wait for Kafka's shutdown hook before the JVM is halted. */
  private static final long SHUTDOWN_GRACE_MILLIS = 20_000;

  private BrokerChildMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: BrokerChildMain <server.properties> <clusterId>");
      System.exit(2);
    }
    ignoreInterrupt();
    watchStdin();
    String properties = args[0];
    String clusterId = args[1];

    Class<?> storageTool = Class.forName("kafka.tools.StorageTool");
    Method execute = storageTool.getMethod("execute", String[].class, PrintStream.class);
    int formatted;
    try {
      formatted = (Integer) execute.invoke(null, (Object) new String[] {
          "format", "--cluster-id", clusterId, "--config", properties, "--ignore-formatted"},
          System.out);
    } catch (InvocationTargetException e) {
      System.err.println("Formatting the broker storage failed:");
      e.getCause().printStackTrace();
      System.exit(3);
      return;
    }
    if (formatted != 0) {
      System.err.println("Formatting the broker storage failed with exit code " + formatted);
      System.exit(3);
    }
    System.out.println("SLUICE: storage formatted, starting the broker");
    System.out.flush();

    Method kafkaMain = Class.forName("kafka.Kafka").getMethod("main", String[].class);
    kafkaMain.invoke(null, (Object) new String[] {properties});
  }

  /**
   * Ctrl-C in a terminal signals the whole process group, child included; the parent must be able
   * to stop its pipeline (and flush producers) against a live broker, then close it through stdin.
   */
  private static void ignoreInterrupt() {
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
  }

  private static void watchStdin() {
    Thread watcher = new Thread(() -> {
      InputStream in = System.in;
      byte[] buffer = new byte[256];
      try {
        while (in.read(buffer) >= 0) {
          // The parent never writes; anything read is ignored.
        }
      } catch (Exception e) {
        // A broken pipe means the parent is gone, as does end of file.
      }
      System.out.println("SLUICE: stdin closed, stopping the broker");
      System.out.flush();
      Thread halter = new Thread(() -> {
        try {
          Thread.sleep(SHUTDOWN_GRACE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
        System.err.println("SLUICE: clean shutdown took too long, halting");
        Runtime.getRuntime().halt(4);
      }, "sluice-shutdown-watchdog");
      halter.setDaemon(true);
      halter.start();
      System.exit(0);
    }, "sluice-stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }
}
