package io.sluice.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.engine.row.Field;
import io.sluice.engine.row.FieldType;
import io.sluice.engine.row.Row;
import io.sluice.engine.row.Schema;
import io.sluice.engine.source.InputStatus;
import io.sluice.engine.source.SourceContext;
import io.sluice.engine.source.SourceReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Helpers shared by the reader tests. */
final class TestSupport {
  static final Schema EVENTS = new Schema(List.of(
      new Field("event_id", FieldType.STRING, false),
      new Field("user_id", FieldType.LONG, true),
      new Field("event_type", FieldType.STRING, true),
      new Field("ts", FieldType.TIMESTAMP, true),
      new Field("amount", FieldType.DOUBLE, true),
      new Field("country", FieldType.STRING, true),
      new Field("payload", FieldType.STRING, true)));

  static final Schema SIMPLE = new Schema(List.of(
      new Field("id", FieldType.STRING, false),
      new Field("n", FieldType.LONG, true)));

  private TestSupport() {}

  static SourceReader<Row> open(KafkaSource source, int subtask, int parallelism,
      List<byte[]> restored) throws Exception {
    SourceReader<Row> reader = source.createReader(new SourceContext("test", subtask,
        parallelism));
    reader.open(restored);
    return reader;
  }

  static List<SourceReader<Row>> openAll(KafkaSource source, int parallelism,
      List<byte[]> restored) throws Exception {
    List<SourceReader<Row>> readers = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      readers.add(open(source, i, parallelism, restored));
    }
    return readers;
  }

  /** Polls until {@code rows} holds at least {@code count} rows (fails after 30 s). */
  static void pollUntil(SourceReader<Row> reader, List<Row> rows, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (rows.size() < count) {
      if (System.nanoTime() > deadline) {
        fail("only " + rows.size() + " of " + count + " rows within 30 s from " + reader);
      }
      reader.pollNext(rows::add);
    }
  }

  /** Polls every reader round-robin until together they emitted {@code count} rows. */
  static List<Row> pollAllUntil(List<SourceReader<Row>> readers, int count) throws Exception {
    List<Row> rows = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (rows.size() < count) {
      if (System.nanoTime() > deadline) {
        fail("only " + rows.size() + " of " + count + " rows within 30 s");
      }
      for (SourceReader<Row> reader : readers) {
        reader.pollNext(rows::add);
      }
    }
    return rows;
  }

  /** Polls for a while and returns whatever arrives (to prove nothing more does). */
  static List<Row> pollFor(List<SourceReader<Row>> readers, Duration duration) throws Exception {
    List<Row> rows = new ArrayList<>();
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline) {
      for (SourceReader<Row> reader : readers) {
        reader.pollNext(rows::add);
      }
    }
    return rows;
  }

  /** Polls until END_OF_INPUT (fails after 30 s). */
  static List<Row> pollToEnd(SourceReader<Row> reader) throws Exception {
    List<Row> rows = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (reader.pollNext(rows::add) != InputStatus.END_OF_INPUT) {
      if (System.nanoTime() > deadline) {
        fail("no END_OF_INPUT within 30 s after " + rows.size() + " rows from " + reader);
      }
    }
    return rows;
  }

  static void closeAll(List<SourceReader<Row>> readers) throws Exception {
    for (SourceReader<Row> reader : readers) {
      reader.close();
    }
  }

  static List<byte[]> snapshotAll(List<SourceReader<Row>> readers, long checkpointId)
      throws Exception {
    List<byte[]> states = new ArrayList<>();
    for (SourceReader<Row> reader : readers) {
      states.add(reader.snapshotState(checkpointId));
    }
    return states;
  }

  static Properties producerProperties(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return p;
  }

  /** Writes JSON values to one partition, with the given record timestamps (null: now). */
  static void produce(String bootstrap, String topic, int partition, List<String> values,
      List<Long> timestamps) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(
        bootstrap))) {
      for (int i = 0; i < values.size(); i++) {
        producer.send(new ProducerRecord<>(topic, partition,
            timestamps == null ? null : timestamps.get(i), null,
            values.get(i).getBytes(StandardCharsets.UTF_8))).get();
      }
    }
  }

  static String simple(String id, long n) {
    return "{\"id\":\"" + id + "\",\"n\":" + n + "}";
  }

  static Admin admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(p);
  }
}
