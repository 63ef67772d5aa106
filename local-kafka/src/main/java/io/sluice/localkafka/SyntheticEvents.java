package io.sluice.localkafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Synthetic JSON events for the benchmark, the demo and tests.
 *
 * <p>An event is
 *
 * <pre>
 * {"event_id": "&lt;uuid&gt;", "user_id": &lt;long&gt;, "event_type": "&lt;one of 10&gt;",
 *  "ts": &lt;epoch millis&gt;, "amount": &lt;double&gt;, "country": "&lt;2 letters&gt;",
 *  "payload": "&lt;100 chars&gt;"}
 * </pre>
 *
 * <p>Everything but {@code ts} is a pure function of {@code (seed, index)}: {@link #eventId} is
 * {@code new UUID(seed, index)}, so a test can compute the exact set of ids it produced. Event
 * {@code index} is written to partition {@code index % partitions}, keyed by its event id, so the
 * partitions receive equal shares.
 */
public final class SyntheticEvents {
  /** The ten values of {@code event_type}. */
  public static final List<String> EVENT_TYPES = List.of("page_view", "click", "search",
      "add_to_cart", "remove_from_cart", "checkout", "purchase", "login", "logout", "signup");
  /** The values of {@code country}. */
  public static final List<String> COUNTRIES = List.of("US", "GB", "DE", "FR", "NL", "ES", "IT",
      "SE", "PL", "BR", "MX", "CA", "IN", "JP", "KR", "AU", "ZA", "NG", "EG", "AR");
  /** Number of distinct {@code user_id} values: ids are 1..USERS. */
  public static final long USERS = 100_000;

  private static final int PAYLOAD_LENGTH = 100;
  private static final String PAYLOAD_TEXT = ("Sluice moves records from Kafka topics into Delta "
      + "tables exactly once; every checkpoint commits offsets and files together so that a crash "
      + "never loses or duplicates an event. The quick brown fox jumps over the lazy dog while the "
      + "stream keeps flowing through partitions, writers and the committer, one version at a time. "
      + "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt.");

  private SyntheticEvents() {}

  /** The id of event {@code index} of generator {@code seed}: {@code new UUID(seed, index)}. */
  public static String eventId(long seed, long index) {
    return new UUID(seed, index).toString();
  }

  /** The partition that {@link #produce} writes event {@code index} to. */
  public static int partitionOf(long index, int partitions) {
    return (int) Math.floorMod(index, (long) partitions);
  }

  /** {@code user_id} of event {@code index}: in 1..{@value #USERS}. */
  public static long userId(long seed, long index) {
    return 1 + Math.floorMod(mix(seed, index), USERS);
  }

  /** {@code event_type} of event {@code index}. */
  public static String eventType(long seed, long index) {
    return EVENT_TYPES.get((int) ((mix(seed, index) >>> 20) % EVENT_TYPES.size()));
  }

  /** {@code amount} of event {@code index} in cents (the JSON carries cents / 100). */
  public static long amountCents(long seed, long index) {
    return 1 + (mix(seed, index) >>> 30) % 100_000;
  }

  /** {@code country} of event {@code index}. */
  public static String country(long seed, long index) {
    return COUNTRIES.get((int) ((mix(seed, index) >>> 44) % COUNTRIES.size()));
  }

  /** The JSON of event {@code index} with the given {@code ts}. */
  public static String eventJson(long seed, long index, long tsMillis) {
    StringBuilder json = new StringBuilder(256);
    appendEvent(json, eventId(seed, index), seed, index, tsMillis);
    return json.toString();
  }

  private static void appendEvent(StringBuilder json, String eventId, long seed, long index,
      long tsMillis) {
    long mix = mix(seed, index);
    long cents = 1 + (mix >>> 30) % 100_000;
    int payloadStart = (int) ((mix >>> 50) % (PAYLOAD_TEXT.length() - PAYLOAD_LENGTH));
    json.append("{\"event_id\":\"").append(eventId)
        .append("\",\"user_id\":").append(1 + Math.floorMod(mix, USERS))
        .append(",\"event_type\":\"").append(EVENT_TYPES.get((int) ((mix >>> 20) % 10)))
        .append("\",\"ts\":").append(tsMillis)
        .append(",\"amount\":").append(cents / 100).append('.');
    long fraction = cents % 100;
    if (fraction < 10) {
      json.append('0');
    }
    json.append(fraction)
        .append(",\"country\":\"").append(COUNTRIES.get((int) ((mix >>> 44) % COUNTRIES.size())))
        .append("\",\"payload\":\"")
        .append(PAYLOAD_TEXT, payloadStart, payloadStart + PAYLOAD_LENGTH)
        .append("\"}");
  }

  /**
   * How {@link #produceWithMalformed} spoils an event, by turns: event {@code index} (one of
   * those {@link #isMalformed}) is spoiled the {@code (index / every) % 3}-th way.
   */
  public enum Malformed {
    /** Cut short after {@code user_id}: not JSON. */
    TRUNCATED {
      @Override
      String spoil(String json) {
        return json.substring(0, json.indexOf(",\"event_type\""));
      }
    },
    /** {@code user_id} a string: a value of the wrong type. */
    WRONG_TYPE {
      @Override
      String spoil(String json) {
        return json.replaceFirst("\"user_id\":(\\d+)", "\"user_id\":\"user-$1\"");
      }
    },
    /** Without {@code event_id}: a required field missing. */
    MISSING_FIELD {
      @Override
      String spoil(String json) {
        return "{" + json.substring(json.indexOf("\"user_id\""));
      }
    };

    abstract String spoil(String json);

    /** The way event {@code index} is spoiled when every {@code every}-th is. */
    public static Malformed of(long index, int every) {
      return values()[(int) ((index / every) % values().length)];
    }
  }

  /**
   * Whether {@link #produceWithMalformed} sends event {@code index} malformed: the last of every
   * {@code every} events.
   */
  public static boolean isMalformed(long index, int every) {
    return every > 0 && index % every == every - 1;
  }

  /** The value {@link #produceWithMalformed} sends for the malformed event {@code index}. */
  public static String malformedJson(long seed, long index, long tsMillis, int every) {
    return Malformed.of(index, every).spoil(eventJson(seed, index, tsMillis));
  }

  /** SplitMix64 of (seed, index): a well spread, non-negative pseudo-random value. */
  private static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 1;
  }

  /**
   * Produces events {@code fromIndex .. fromIndex+count-1} of generator {@code seed} into an
   * existing topic, with {@code ts} = the wall-clock time of sending, and waits until all are
   * acknowledged (acks=all, idempotent, lz4, large batches).
   */
  public static void produce(String bootstrap, String topic, long seed, long fromIndex,
      long count) {
    produceCounting(bootstrap, topic, seed, fromIndex, count);
  }

  /** As {@link #produce}; returns the number of value bytes written. */
  static long produceCounting(String bootstrap, String topic, long seed, long fromIndex,
      long count) {
    return send(bootstrap, topic, seed, fromIndex, count, 1, 0, 0);
  }

  /**
   * As {@link #produce}, but every {@code malformedEvery}-th event ({@link #isMalformed}) is sent
   * malformed, keyed by its event id as the others: its value is {@link #malformedJson}.
   */
  public static void produceWithMalformed(String bootstrap, String topic, long seed,
      long fromIndex, long count, int malformedEvery) {
    send(bootstrap, topic, seed, fromIndex, count, 1, 0, malformedEvery);
  }

  /**
   * Re-sends events {@code fromIndex}, {@code fromIndex + stride}, ... below {@code fromIndex +
   * count}, each into the partition after the one {@link #produce} writes it to: duplicates with
   * the same event id at another partition and offset (as a producer retrying elsewhere, or a
   * replayed upstream, would make), with a fresh {@code ts}.
   */
  public static void resend(String bootstrap, String topic, long seed, long fromIndex, long count,
      int stride) {
    send(bootstrap, topic, seed, fromIndex, count, stride, 1, 0);
  }

  /**
   * Sends every {@code stride}-th event of the range to its partition shifted by {@code
   * partitionShift}, every {@code malformedEvery}-th malformed (none when 0), waiting until all are
   * acknowledged; returns the value bytes written.
   */
  private static long send(String bootstrap, String topic, long seed, long fromIndex, long count,
      int stride, int partitionShift, int malformedEvery) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    Callback callback = (metadata, exception) -> {
      if (exception != null) {
        failure.compareAndSet(null, exception);
      }
    };
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(bulkProducerProperties(
        bootstrap))) {
      int partitions = partitionCount(producer, topic);
      StringBuilder json = new StringBuilder(256);
      long now = System.currentTimeMillis();
      long sent = 0;
      for (long i = fromIndex; i < fromIndex + count; i += stride) {
        if ((sent++ & 1023) == 0) {
          now = System.currentTimeMillis();
          if (failure.get() != null) {
            break;
          }
        }
        String id = eventId(seed, i);
        json.setLength(0);
        appendEvent(json, id, seed, i, now);
        byte[] value = value(json, i, malformedEvery);
        byte[] key = id.getBytes(StandardCharsets.ISO_8859_1);
        bytes += value.length;
        int partition = (partitionOf(i, partitions) + partitionShift) % partitions;
        producer.send(new ProducerRecord<>(topic, partition, key, value), callback);
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("producing synthetic events to '" + topic + "' failed",
          failure.get());
    }
    return bytes;
  }

  /** The bytes sent for event {@code index} whose JSON is {@code json}: spoiled if it is malformed. */
  private static byte[] value(StringBuilder json, long index, int malformedEvery) {
    String text = isMalformed(index, malformedEvery)
        ? Malformed.of(index, malformedEvery).spoil(json.toString()) : json.toString();
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static int partitionCount(KafkaProducer<?, ?> producer, String topic) {
    List<PartitionInfo> partitions = producer.partitionsFor(topic);
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalStateException("topic '" + topic + "' has no partitions");
    }
    return partitions.size();
  }

  private static Properties bulkProducerProperties(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-synthetic-events");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 * 1024 * 1024));
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** Creates the topic unless it exists; returns its partition count. */
  public static int ensureTopic(String bootstrap, String topic, int partitions) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      try {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
            .get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          var description = admin.describeTopics(Set.of(topic)).allTopicNames()
              .get(10, TimeUnit.SECONDS).get(topic);
          if (description.partitions().stream().allMatch(i -> i.leader() != null)) {
            return description.partitions().size();
          }
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic '" + topic + "' has partitions without leader");
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic '" + topic + "'", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not create topic '" + topic + "'", e);
    }
  }

  // ------------------------------------------------------------------------------ continuous

  /** A running rate-limited producer; {@link #close()} stops it and waits for its sends. */
  public static final class ContinuousProducer implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong produced = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private ContinuousProducer(String bootstrap, String topic, double eventsPerSecond, long seed,
        int duplicateEvery, int malformedEvery) {
      if (!(eventsPerSecond > 0)) {
        throw new IllegalArgumentException("eventsPerSecond must be positive: " + eventsPerSecond);
      }
      thread = new Thread(
          () -> run(bootstrap, topic, eventsPerSecond, seed, duplicateEvery, malformedEvery),
          "sluice-synthetic-events-" + topic);
      thread.setDaemon(true);
      thread.start();
    }

    private void run(String bootstrap, String topic, double eventsPerSecond, long seed,
        int duplicateEvery, int malformedEvery) {
      Properties p = bulkProducerProperties(bootstrap);
      p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
      p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-synthetic-events-continuous");
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        int partitions = partitionCount(producer, topic);
        Callback callback = (metadata, exception) -> {
          if (exception != null) {
            failure.compareAndSet(null, exception);
          }
        };
        long start = System.nanoTime();
        long index = 0;
        StringBuilder json = new StringBuilder(256);
        while (running && failure.get() == null) {
          long due = (long) ((System.nanoTime() - start) / 1e9 * eventsPerSecond);
          if (index >= due) {
            Thread.sleep(Math.max(1, (long) Math.min(50, 1000 / eventsPerSecond)));
            continue;
          }
          long now = System.currentTimeMillis();
          for (; index < due && running; index++) {
            String id = eventId(seed, index);
            json.setLength(0);
            appendEvent(json, id, seed, index, now);
            byte[] key = id.getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = value(json, index, malformedEvery);
            int partition = partitionOf(index, partitions);
            producer.send(new ProducerRecord<>(topic, partition, key, value), callback);
            produced.incrementAndGet();
            if (duplicateEvery > 0 && index % duplicateEvery == 0) {
              producer.send(new ProducerRecord<>(topic, (partition + 1) % partitions, key, value),
                  callback);
              produced.incrementAndGet();
            }
          }
        }
        producer.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        failure.compareAndSet(null, e);
      }
    }

    /** Events (duplicates included) handed to the producer so far. */
    public long produced() {
      return produced.get();
    }

    /** The first send failure, if any (the producer stops at the first failure). */
    public Exception failure() {
      return failure.get();
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts producing about {@code eventsPerSecond} events per second into an existing topic, with
   * a seed taken from the clock (so event ids differ from run to run), until closed.
   */
  public static ContinuousProducer startContinuous(String bootstrap, String topic,
      double eventsPerSecond) {
    return startContinuous(bootstrap, topic, eventsPerSecond, System.currentTimeMillis());
  }

  /** As {@link #startContinuous(String, String, double)} with events 0, 1, ... of {@code seed}. */
  public static ContinuousProducer startContinuous(String bootstrap, String topic,
      double eventsPerSecond, long seed) {
    return new ContinuousProducer(bootstrap, topic, eventsPerSecond, seed, 0, 0);
  }

  /**
   * As {@link #startContinuous(String, String, double, long)}, sending every {@code
   * malformedEvery}-th event malformed ({@link #isMalformed}, {@link #malformedJson}), for soaks of
   * dead-lettering pipelines.
   */
  public static ContinuousProducer startContinuousWithMalformed(String bootstrap, String topic,
      double eventsPerSecond, long seed, int malformedEvery) {
    return new ContinuousProducer(bootstrap, topic, eventsPerSecond, seed, 0, malformedEvery);
  }

  /**
   * As {@link #startContinuous(String, String, double)}, also re-sending every {@code
   * duplicateEvery}-th event into the next partition (a duplicate at another partition and
   * offset), for demos of deduplication.
   */
  public static ContinuousProducer startContinuousWithDuplicates(String bootstrap, String topic,
      double eventsPerSecond, int duplicateEvery) {
    return new ContinuousProducer(
        bootstrap, topic, eventsPerSecond, System.currentTimeMillis(), duplicateEvery, 0);
  }

  // ------------------------------------------------------------------------------------ main

  private static final String USAGE = "usage: SyntheticEvents --bootstrap HOST:PORT --topic T "
      + "--count N [--partitions P (default 8)] [--seed S (default 42)] [--from I (default 0)]";

  /**
   * {@code java -cp CP io.sluice.localkafka.SyntheticEvents --bootstrap X --topic T --count N
   * [--partitions 8] [--seed S] [--from I]}: creates the topic when absent, produces the events
   * and prints a summary line.
   */
  public static void main(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        fail(args[i].equals("--help") ? "" : "bad argument " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    for (String key : options.keySet()) {
      if (!Set.of("bootstrap", "topic", "count", "partitions", "seed", "from").contains(key)) {
        fail("unknown option --" + key);
      }
    }
    String bootstrap = options.get("bootstrap");
    String topic = options.get("topic");
    if (bootstrap == null || topic == null || !options.containsKey("count")) {
      fail("--bootstrap, --topic and --count are required");
    }
    long count = Long.parseLong(options.get("count").replace("_", ""));
    int partitions = Integer.parseInt(options.getOrDefault("partitions", "8"));
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    long from = Long.parseLong(options.getOrDefault("from", "0"));

    int actual = ensureTopic(bootstrap, topic, partitions);
    long start = System.nanoTime();
    long bytes = produceCounting(bootstrap, topic, seed, from, count);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("produced %d events (%.1f MB of JSON) to %s (%d partitions) in %.2f s: "
            + "%.0f events/s, %.1f MB/s%n", count, bytes / 1e6, topic, actual, seconds,
        count / seconds, bytes / 1e6 / seconds);
  }

  private static void fail(String problem) {
    if (!problem.isEmpty()) {
      System.err.println(problem);
    }
    System.err.println(USAGE);
    System.exit(2);
  }
}
