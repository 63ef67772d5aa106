package io.sluice.engine.internal.state;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** The codecs of all keyed state handle kinds on the classpath. */
public final class KeyedStateHandleCodecs {
  private static final Map<String, KeyedStateHandleCodec> CODECS = load();

  private KeyedStateHandleCodecs() {}

  public static KeyedStateHandleCodec forKind(String kind) {
    KeyedStateHandleCodec codec = CODECS.get(kind);
    if (codec == null) {
      throw new IllegalStateException(
          "keyed state of kind '" + kind + "' cannot be read: the module of the state backend"
              + " that wrote it is not on the classpath (known kinds: " + CODECS.keySet() + ")");
    }
    return codec;
  }

  private static Map<String, KeyedStateHandleCodec> load() {
    Map<String, KeyedStateHandleCodec> codecs = new HashMap<>();
    KeyGroupsStateHandle.Codec canonical = new KeyGroupsStateHandle.Codec();
    codecs.put(canonical.kind(), canonical);
    for (KeyedStateHandleCodec codec : ServiceLoader.load(KeyedStateHandleCodec.class)) {
      codecs.put(codec.kind(), codec);
    }
    return Map.copyOf(codecs);
  }
}
