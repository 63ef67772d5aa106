package io.sluice.state.rocksdb;

import io.sluice.engine.config.ConfigOption;
import io.sluice.engine.config.OptionType;
import io.sluice.engine.config.Validator;
import java.util.List;

/** The options of the RocksDB state backend ({@link RocksDbStateBackend}). */
public final class RocksDbOptions {
  public static final ConfigOption<Long> MEMORY =
      ConfigOption.key("state.rocksdb.memory", OptionType.size())
          .defaultValue(256L << 20)
          .validate(Validator.sizeAtLeast(16L << 20))
          .doc("native memory of the RocksDB state backend, shared by every keyed operator subtask"
              + " of the pipeline: a block cache for data, index and filter blocks, to which the"
              + " write buffers are charged. It lives outside the Java heap: budget it next to"
              + " -Xmx");

  /** Every option above, in the order of the docs. */
  public static final List<ConfigOption<?>> ALL = List.of(MEMORY);

  private RocksDbOptions() {}
}
