package io.sluice.state.rocksdb.internal;

import io.sluice.engine.internal.state.StateMeta;
import io.sluice.engine.state.StateDescriptor;
import io.sluice.engine.state.StateTtl;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.RocksDB;

/**
 * One state's column family. Its {@link #meta} describes the stored layout (whether values carry
 * timestamps); the descriptor is set when the function declares the state, which may be after
 * the state was restored.
 */
final class StateColumnFamily {
  /** Keeps state names clear of RocksDB's own {@code default} column family. */
  private static final String NAME_PREFIX = "state:";

  final ColumnFamilyHandle handle;
  StateMeta meta;
  StateDescriptor<?> descriptor;
  /** The declared time-to-live in milliseconds; 0 without one, or while undeclared. */
  long ttlMillis;
  boolean refreshOnRead;

  StateColumnFamily(ColumnFamilyHandle handle, StateMeta meta) {
    this.handle = handle;
    this.meta = meta;
  }

  static byte[] columnFamilyName(String stateName) {
    return (NAME_PREFIX + stateName).getBytes(StandardCharsets.UTF_8);
  }

  /** The descriptors to open a database of these states with: the default column family first. */
  static List<ColumnFamilyDescriptor> descriptors(
      List<StateMeta> states, ColumnFamilyOptions options) {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>(states.size() + 1);
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options));
    for (StateMeta state : states) {
      descriptors.add(new ColumnFamilyDescriptor(columnFamilyName(state.name()), options));
    }
    return descriptors;
  }

  boolean timestamped() {
    return meta.ttl();
  }

  boolean isDeclared() {
    return descriptor != null;
  }

  void declare(StateDescriptor<?> declared) {
    descriptor = declared;
    ttlMillis = declared.ttl().map(StateTtl::ttlMillis).orElse(0L);
    refreshOnRead = declared.ttl().map(StateTtl::refreshOnRead).orElse(false);
  }

  boolean hasTtl() {
    return ttlMillis > 0;
  }
}
