package io.sluice.engine.state;

import java.util.List;

/** A list of values per key. With a time-to-live, each element expires on its own. */
public interface ListState<T> extends State {
  /** The current key's elements (a copy), empty if it has none. */
  List<T> get() throws Exception;

  void add(T value) throws Exception;

  void addAll(List<T> values) throws Exception;

  /** Replaces the current key's elements; an empty list clears them. */
  void update(List<T> values) throws Exception;
}
