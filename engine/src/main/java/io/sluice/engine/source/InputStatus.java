package io.sluice.engine.source;

/** What a {@link SourceReader#pollNext} call found. */
public enum InputStatus {
  /** Records were emitted and more are likely available right away. */
  MORE_AVAILABLE,
  /** Nothing available now; the task may idle briefly before polling again. */
  NOTHING_AVAILABLE,
  /** A bounded reader has emitted everything it ever will. */
  END_OF_INPUT
}
