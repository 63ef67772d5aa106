package io.sluice.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link LocalKafkaBroker} for shell scripts.
 *
 * <pre>
 * java -cp CP io.sluice.localkafka.LocalKafkaMain [--data-dir DIR] [--topic NAME:PARTITIONS]...
 * </pre>
 *
 * <p>Prints {@code BOOTSTRAP=host:port} on stdout once the broker serves requests (after creating
 * the requested topics), then runs until its stdin closes (or it gets SIGTERM/SIGINT), and stops
 * the broker. Without {@code --data-dir} the data lives in a temporary directory deleted on exit.
 */
public final class LocalKafkaMain {
  private LocalKafkaMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = null;
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data-dir" -> dataDir = Paths.get(value(args, ++i, "--data-dir"));
        case "--topic" -> topics.add(value(args, ++i, "--topic"));
        case "-h", "--help" -> {
          System.out.println("usage: LocalKafkaMain [--data-dir DIR] [--topic NAME:PARTITIONS]...");
          return;
        }
        default -> usage("unknown argument " + args[i]);
      }
    }
    boolean temporary = dataDir == null;
    Path dir = temporary ? Files.createTempDirectory("sluice-kafka-") : dataDir;
    long start = System.nanoTime();
    LocalKafkaBroker broker = LocalKafkaBroker.start(dir);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      broker.close();
      if (temporary) {
        deleteRecursively(dir);
      }
    }, "sluice-local-kafka-main-stop"));
    for (String topic : topics) {
      int colon = topic.lastIndexOf(':');
      String name = colon < 0 ? topic : topic.substring(0, colon);
      int partitions = colon < 0 ? 1 : Integer.parseInt(topic.substring(colon + 1));
      broker.createTopic(name, partitions);
    }
    System.err.printf("local Kafka broker ready in %d ms, data in %s, log %s%n",
        (System.nanoTime() - start) / 1_000_000, dir, broker.logFile());
    System.out.println("BOOTSTRAP=" + broker.bootstrapServers());
    System.out.flush();

    InputStream in = System.in;
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // wait for end of file
    }
    System.exit(0); // runs the shutdown hook: stops the broker
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      usage(flag + " needs a value");
    }
    return args[index];
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: LocalKafkaMain [--data-dir DIR] [--topic NAME:PARTITIONS]...");
    System.exit(2);
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
