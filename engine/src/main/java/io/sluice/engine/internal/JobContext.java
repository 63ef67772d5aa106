package io.sluice.engine.internal;

import io.sluice.engine.JobConfig;
import io.sluice.engine.internal.checkpoint.CheckpointStorage;
import io.sluice.engine.internal.graph.JobGraph;

/** What every attempt of a job runs on. */
record JobContext(JobGraph graph, JobConfig config, CheckpointStorage storage) {}
