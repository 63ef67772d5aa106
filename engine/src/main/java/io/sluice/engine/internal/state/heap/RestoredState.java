package io.sluice.engine.internal.state.heap;

import io.sluice.engine.internal.state.StateMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A restored state whose function has not declared it yet: its entries stay serialized until the
 * declaration brings the serializers, and are written as they are into snapshots taken before.
 */
final class RestoredState {
  record RawEntry(Object key, byte[] keyBytes, byte[] payload) {}

  final StateMeta meta;
  private final List<RawEntry>[] byKeyGroup;

  @SuppressWarnings("unchecked")
  RestoredState(StateMeta meta, int keyGroups) {
    this.meta = meta;
    this.byKeyGroup = new List[keyGroups];
  }

  void add(int localKeyGroup, Object key, byte[] keyBytes, byte[] payload) {
    List<RawEntry> list = byKeyGroup[localKeyGroup];
    if (list == null) {
      list = new ArrayList<>();
      byKeyGroup[localKeyGroup] = list;
    }
    list.add(new RawEntry(key, keyBytes, payload));
  }

  List<RawEntry> entries(int localKeyGroup) {
    List<RawEntry> list = byKeyGroup[localKeyGroup];
    return list == null ? List.of() : list;
  }

  /** Deserializes every entry into {@code table}, leaving out expired ones. */
  void loadInto(StateTable table, long now, int epoch) throws IOException {
    meta.requireDeclaredKind(table.descriptor);
    HeapPayloads payloads = new HeapPayloads(table);
    for (int local = 0; local < byKeyGroup.length; local++) {
      for (RawEntry raw : entries(local)) {
        StateEntry entry = payloads.decode(raw.payload(), now, epoch);
        if (entry != null) {
          table.maps[local].entries.put(raw.key(), entry);
        }
      }
    }
  }
}
