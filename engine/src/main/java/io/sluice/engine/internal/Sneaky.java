package io.sluice.engine.internal;

/** Rethrows a checked exception through an interface that cannot declare it, unwrapped. */
public final class Sneaky {
  private Sneaky() {}

  public static RuntimeException raise(Throwable t) {
    Sneaky.<RuntimeException>doRaise(t);
    return new IllegalStateException("unreachable", t);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void doRaise(Throwable t) throws E {
    throw (E) t;
  }
}
