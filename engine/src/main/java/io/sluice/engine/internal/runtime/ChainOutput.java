package io.sluice.engine.internal.runtime;

import io.sluice.engine.OutputTag;

/** An output of a chain member: its main output ({@code tag == null}) or a side output. */
public record ChainOutput(int member, OutputTag<?> tag) {}
