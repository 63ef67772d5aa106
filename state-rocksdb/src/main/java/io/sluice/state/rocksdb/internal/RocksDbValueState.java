package io.sluice.state.rocksdb.internal;

import io.sluice.engine.state.ValueState;

final class RocksDbValueState<T> implements ValueState<T> {
  private final SingleValue<T> value;

  RocksDbValueState(SingleValue<T> value) {
    this.value = value;
  }

  @Override
  public T value() throws Exception {
    return value.get();
  }

  @Override
  public void update(T newValue) throws Exception {
    if (newValue == null) {
      value.clear();
    } else {
      value.set(newValue);
    }
  }

  @Override
  public void clear() throws Exception {
    value.clear();
  }
}
