package io.sluice.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaCommittableSerializerTest {
  @Test
  void roundTrips() throws Exception {
    Map<String, String> partitions = new LinkedHashMap<>();
    partitions.put("region", "eu/ü");
    partitions.put("day", null);
    DeltaCommittable c =
        new DeltaCommittable(
            "region=eu%2Fü/day=__HIVE_DEFAULT_PARTITION__/f.snappy.parquet",
            1234, 1_700_000_000_000L, partitions, 42, "{\"numRecords\":42}");
    DeltaCommittable back =
        DeltaCommittableSerializer.INSTANCE.deserialize(DeltaCommittableSerializer.INSTANCE.serialize(c));
    assertEquals(c, back);
    assertEquals(java.util.List.of("region", "day"), java.util.List.copyOf(back.partitionValues().keySet()));
  }
}
