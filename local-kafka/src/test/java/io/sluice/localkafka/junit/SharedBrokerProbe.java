package io.sluice.localkafka.junit;

import io.sluice.localkafka.LocalKafkaBroker;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Records every broker instance the test classes were given. */
final class SharedBrokerProbe {
  static final Set<LocalKafkaBroker> SEEN = Collections.synchronizedSet(
      Collections.newSetFromMap(new IdentityHashMap<>()));

  private SharedBrokerProbe() {}
}
