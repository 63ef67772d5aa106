package io.sluice.kafka.internal;

/**
 * Which reader owns a partition. Each reader decides alone, from the partition number and the
 * parallelism only: so all readers agree without talking to each other, a partition discovered
 * while running gets the same owner in every reader, and on a restore at another parallelism each
 * partition of the restored union of states is taken by exactly one reader.
 */
@FunctionalInterface
public interface PartitionAssigner {
  /** Partition {@code p} belongs to reader {@code p mod parallelism}. */
  PartitionAssigner MODULO = (partition, parallelism) -> partition % parallelism;

  /** The index of the reader, among {@code parallelism}, that reads {@code partition}. */
  int ownerOf(int partition, int parallelism);
}
